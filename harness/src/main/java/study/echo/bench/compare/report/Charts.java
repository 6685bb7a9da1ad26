package study.echo.bench.compare.report;

import study.echo.bench.compare.measure.PointRunner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn with XChart as PNG and SVG into {@code charts/} of the run folder. */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private final Path runDir;
    private final List<Map<String, String>> rows;
    private final List<String> variants;
    private final long sloMicros;

    public Charts(Path runDir, List<Map<String, String>> rows, List<String> variants, long sloMicros) {
        this.runDir = runDir;
        this.rows = rows;
        this.variants = variants;
        this.sloMicros = sloMicros;
    }

    public List<Report.Chart> drawAll() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(runDir.resolve("charts"));
        List<Report.Chart> out = new ArrayList<>();
        List<Map<String, String>> closed = ok("closed");
        for (int size : Report.ints(closed, "size_bytes")) {
            List<Map<String, String>> at = closed.stream().filter(r -> Report.num(r, "size_bytes") == size).toList();
            out.add(xy("throughput_vs_connections_" + size + "B", "Closed-loop throughput, " + size + " B messages",
                    "connections", "messages per second", at, "connections", "throughput_msgs_s", 1, true, false));
            out.add(xy("cpu_per_message_" + size + "B", "Server CPU per message, closed loop, " + size + " B",
                    "connections", "server CPU µs per message", at, "connections", "server_cpu_s_per_1000_msgs", 1000,
                    true, false));
            Report.Chart spectrum = spectrum(size, at);
            if (spectrum != null) out.add(spectrum);
        }
        List<Map<String, String>> open = ok("open");
        for (int conns : Report.ints(open, "connections")) {
            for (int size : Report.ints(open, "size_bytes")) {
                List<Map<String, String>> sweep = open.stream()
                        .filter(r -> Report.num(r, "connections") == conns && Report.num(r, "size_bytes") == size).toList();
                out.add(latencyVsLoad(conns, size, sweep));
            }
        }
        List<Map<String, String>> idle = ok("idle");
        if (!idle.isEmpty()) out.add(memory(idle));
        return out;
    }

    private List<Map<String, String>> ok(String mode) {
        return rows.stream().filter(r -> mode.equals(r.get("mode")) && "ok".equals(r.get("status"))).toList();
    }

    private XYChart newXy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(7);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        // Plain numbers (10,000), not the 1E4 that XChart puts on logarithmic axes.
        c.getStyler().setXAxisDecimalPattern("#,###.##");
        c.getStyler().setYAxisDecimalPattern("#,###.##");
        return c;
    }

    private Report.Chart xy(String file, String title, String xTitle, String yTitle, List<Map<String, String>> data,
                            String xColumn, String yColumn, double scale, boolean logX, boolean logY) throws IOException {
        XYChart c = newXy(title, xTitle, yTitle);
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        Map<String, Map<Integer, Stats>> m = Report.medians(data, variants, xColumn, yColumn, v -> v * scale);
        addSeries(c, m);
        return save(c, file, title);
    }

    private static void addSeries(XYChart c, Map<String, Map<Integer, Stats>> m) {
        for (Map.Entry<String, Map<Integer, Stats>> e : m.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Map.Entry<Integer, Stats> p : e.getValue().entrySet()) {
                if (p.getValue().median() <= 0 && (c.getStyler().isYAxisLogarithmic())) continue;
                xs.add((double) p.getKey());
                ys.add(p.getValue().median());
            }
            if (!xs.isEmpty()) c.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private Report.Chart latencyVsLoad(int conns, int size, List<Map<String, String>> sweep) throws IOException {
        String title = "Open loop p99 latency against offered load, " + conns + " connections, " + size + " B";
        XYChart c = newXy(title, "offered load, messages per second", "p99 latency, µs (from intended send time)");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        addSeries(c, Report.medians(sweep, variants, "target_rate_msgs_s", "p99_us", v -> v));
        List<Integer> rates = Report.ints(sweep, "target_rate_msgs_s");
        if (!rates.isEmpty()) {
            XYSeries slo = c.addSeries("SLO p99 " + Stats.format(sloMicros) + " µs",
                    List.of((double) rates.get(0), (double) rates.get(rates.size() - 1)),
                    List.of((double) sloMicros, (double) sloMicros));
            slo.setMarker(SeriesMarkers.NONE);
            slo.setLineStyle(SeriesLines.DASH_DASH);
            slo.setLineColor(java.awt.Color.GRAY);
        }
        return save(c, "latency_vs_load_c" + conns + "_" + size + "B", title);
    }

    /**
     * HdrHistogram-style percentile spectrum at the closed-loop point nearest 100 connections: every
     * repetition's interval histograms merged, x on a log scale of 1/(1-percentile).
     */
    private Report.Chart spectrum(int size, List<Map<String, String>> closed) throws IOException {
        List<Integer> conns = Report.ints(closed, "connections");
        if (conns.isEmpty()) return null;
        int at = conns.contains(100) ? 100 : conns.get((conns.size() - 1) / 2);
        String title = "Latency by percentile, closed loop, " + at + " connections, " + size + " B";
        XYChart c = newXy(title, "percentile", "latency, µs");
        // x is log10(1/(1-p)), on a linear axis: XChart's custom tick labels on a logarithmic axis
        // step through the whole range and never finish drawing.
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setxAxisTickLabelsFormattingFunction(Charts::percentileLabel);
        int series = 0;
        for (String v : variants) {
            List<Map<String, String>> point = closed.stream()
                    .filter(r -> v.equals(r.get("variant")) && Report.num(r, "connections") == at).toList();
            Histogram merged = merge(point);
            if (merged == null || merged.getTotalCount() == 0) continue;
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (HistogramIterationValue it : merged.percentiles(5)) {
                double p = it.getPercentileLevelIteratedTo() / 100.0;
                if (p >= 1.0) break;
                xs.add(Math.log10(1 / (1 - p)));
                ys.add(Math.max(1, it.getValueIteratedTo()) / 1.0);
            }
            if (xs.isEmpty()) continue;
            c.addSeries(v, xs, ys).setMarker(SeriesMarkers.NONE);
            series++;
        }
        if (series == 0) return null;
        return save(c, "latency_spectrum_c" + at + "_" + size + "B", title);
    }

    /** Labels 0, 1, 2, ... of the log10(1/(1-p)) axis as 0%, 90%, 99%, 99.9%, ...; nothing between. */
    public static String percentileLabel(double x) {
        if (x < 0 || Math.abs(x - Math.rint(x)) > 1e-9) return "";
        double p = 100 * (1 - Math.pow(10, -Math.rint(x)));
        if (p == 0) return "0%";
        String s = String.format(Locale.ROOT, "%.6f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    /**
     * Merges the .hlog of each repetition into one histogram in microseconds. The client records in
     * microseconds or nanoseconds; the unit is read off by comparing a repetition's p99 with its
     * {@code p99_us} column.
     */
    private Histogram merge(List<Map<String, String>> reps) {
        Histogram total = new Histogram(3);
        for (Map<String, String> r : reps) {
            String f = r.get("hlog_file");
            if (f == null || f.isEmpty() || !Files.isRegularFile(runDir.resolve(f))) continue;
            Histogram one = new Histogram(3);
            try {
                HistogramLogReader reader = new HistogramLogReader(new File(runDir.resolve(f).toString()));
                EncodableHistogram h;
                while ((h = reader.nextIntervalHistogram()) != null) {
                    if (h instanceof AbstractHistogram a) one.add(a);
                }
            } catch (IOException | RuntimeException e) {
                continue;
            }
            if (one.getTotalCount() == 0) continue;
            double p99us = Report.num(r, "p99_us");
            double ratio = p99us > 0 ? one.getValueAtPercentile(99) / p99us : 1;
            if (ratio > 30) {
                Histogram us = new Histogram(3);
                for (HistogramIterationValue v : one.recordedValues()) {
                    us.recordValueWithCount(Math.max(0, v.getValueIteratedTo() / 1000), v.getCountAtValueIteratedTo());
                }
                one = us;
            }
            total.add(one);
        }
        return total;
    }

    private Report.Chart memory(List<Map<String, String>> idle) throws IOException {
        String title = String.format(Locale.ROOT, "Memory per idle connection (%,d connections)",
                Report.ints(idle, "connections").get(0));
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("variant").yAxisTitle("bytes per connection").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<String> names = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        for (String v : variants) {
            Stats r = stat(idle, v, "rss_delta_per_conn_bytes");
            if (r == null) continue;
            Stats h = stat(idle, v, "heap_delta_per_conn_bytes");
            names.add(v);
            rss.add(r.median());
            heap.add(h == null ? 0.0 : h.median());
        }
        c.addSeries("RSS", names, rss);
        c.addSeries("heap after GC", names, heap);
        return save(c, "memory_per_connection", title);
    }

    private static Stats stat(List<Map<String, String>> rows, String variant, String column) {
        List<Double> v = new ArrayList<>();
        for (Map<String, String> r : rows) if (variant.equals(r.get("variant"))) v.add(Report.num(r, column));
        return Stats.of(v);
    }

    private Report.Chart save(Chart<?, ?> chart, String name, String caption) throws IOException {
        Path base = runDir.resolve("charts").resolve(name);
        BitmapEncoder.saveBitmap(chart, base + ".png", BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base + ".svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return new Report.Chart("charts/" + name, caption);
    }
}
