package study.echo.bench.compare.report;

import java.io.IOException;
import java.io.InputStream;
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
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.plan.PointId;
import study.echo.common.work.WorkSpec;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.Verdicts;
import study.echo.bench.compare.results.RunFiles;

/** The report's charts, drawn with XChart as PNG and SVG into {@code charts/} of the run folder. */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private final Path runDir;
    private final RunFiles files;
    private final List<PointResult> rows;
    private final List<String> variants;
    private final long sloMicros;

    Charts(Path runDir, RunFiles files, List<PointResult> rows, List<String> variants, long sloMicros) {
        this.runDir = runDir;
        this.files = files;
        this.rows = rows;
        this.variants = variants;
        this.sloMicros = sloMicros;
    }

    List<Report.Chart> drawAll() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(runDir.resolve("charts"));
        List<Report.Chart> out = new ArrayList<>();
        List<PointResult> closed = Report.okRows(rows, Point.Mode.CLOSED);
        for (int size : Report.ints(closed, r -> r.id().sizeBytes())) {
            for (WorkSpec work : Report.works(closed)) {
                List<PointResult> at = closed.stream()
                        .filter(r -> r.id().sizeBytes() == size && r.id().work().equals(work)).toList();
                if (at.isEmpty()) continue;
                String file = size + "B" + workSuffix(work);
                String withWork = work.isNone() ? "" : ", work " + work;
                out.add(byConnections("throughput_vs_connections_" + file,
                        "Closed-loop throughput, " + size + " B messages" + withWork,
                        "messages per second", at, Report.THROUGHPUT, 1));
                out.add(byConnections("cpu_per_message_" + file,
                        "Server CPU per message, closed loop, " + size + " B" + withWork,
                        "server CPU µs per message", at, Report.SERVER_CPU_PER_1000, 1000));
                // The spectrum of the echo only: with work there is one per cell of the map, too many to read.
                Report.Chart spectrum = work.isNone() ? spectrum(size, at) : null;
                if (spectrum != null) out.add(spectrum);
            }
            List<PointResult> sized = closed.stream().filter(r -> r.id().sizeBytes() == size).toList();
            if (Report.hasWork(sized)) {
                for (int conns : Report.ints(sized, r -> r.id().connections())) {
                    List<PointResult> at = sized.stream().filter(r -> r.id().connections() == conns).toList();
                    out.add(crossover(size, conns, at, Report.THROUGHPUT, true));
                    out.add(crossover(size, conns, at, Report.P99, false));
                }
            }
        }
        List<PointResult> open = Report.okRows(rows, Point.Mode.OPEN);
        for (Sweep sweep : Sweep.of(open)) out.add(latencyVsLoad(sweep));
        List<PointResult> idle = Report.okRows(rows, Point.Mode.IDLE);
        if (!idle.isEmpty()) out.add(memory(idle));
        List<PointResult> among = AmongIdle.rows(rows, Point.Mode.CLOSED);
        if (!among.isEmpty()) out.add(cpuAmongIdle(among));
        return out;
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

    /** A closed-loop figure against the connection count, on a logarithmic x axis. */
    private Report.Chart byConnections(String file, String title, String yTitle, List<PointResult> data,
                                       Report.Metric metric, double scale) throws IOException {
        XYChart c = newXy(title, "connections", yTitle);
        c.getStyler().setXAxisLogarithmic(true);
        addSeries(c, Report.medians(data, variants, r -> r.id().connections(), metric, scale));
        return save(c, file, title, List.of());
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

    private static String workSuffix(WorkSpec work) {
        return work.isNone() ? "" : "_" + PointId.fileLabel(work);
    }

    /**
     * One connection count of the crossover map: loom-virtual's median over the best selector variant's
     * ({@link Crossover#ratio}) as grouped bars, one group per wait, one bar per CPU time, with the line
     * of parity at 1. A cell where either did not run has no bar.
     */
    private Report.Chart crossover(int size, int conns, List<PointResult> at, Report.Metric metric, boolean throughput)
            throws IOException {
        String what = throughput ? "throughput" : "p99 latency";
        String title = String.format(Locale.ROOT, "Crossover: loom-virtual %s / best selector, %,d connections, %d B",
                what, conns, size);
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("wait per request")
                .yAxisTitle("loom-virtual / best selector variant" + (throughput ? " (above 1: loom serves more)"
                        : " (below 1: loom answers sooner)")).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setYAxisDecimalPattern("#,##0.##");
        List<java.time.Duration> cpus = at.stream().map(r -> r.id().work().cpuTime()).distinct().sorted().toList();
        List<java.time.Duration> waits = at.stream().map(r -> r.id().work().waitTime()).distinct().sorted().toList();
        List<String> waitLabels = waits.stream().map(Report::durationLabel).toList();
        List<String> missing = new ArrayList<>();
        for (var cpu : cpus) {
            List<Double> ratios = new ArrayList<>();
            for (var wait : waits) {
                WorkSpec work = new WorkSpec(cpu, wait);
                List<PointResult> cell = at.stream().filter(p -> p.id().work().equals(work)).toList();
                Crossover.Ratio r = Crossover.ratio(cell, metric, throughput);
                // A cpu x wait pair outside the run's matrix is no gap; a measured cell without both sides is.
                if (r == null && !cell.isEmpty()) missing.add(work + ": loom-virtual or every selector variant has no figure");
                ratios.add(r == null ? 0.0 : r.ratio());
            }
            c.addSeries("cpu " + Report.durationLabel(cpu), waitLabels, ratios);
        }
        c.addSeries("parity (1)", waitLabels, waitLabels.stream().map(w -> 1.0).toList())
                .setChartCategorySeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line)
                .setMarker(SeriesMarkers.NONE);
        return save(c, "crossover_" + (throughput ? "throughput" : "p99") + "_c" + conns + "_" + size + "B", title, missing);
    }

    private Report.Chart latencyVsLoad(Sweep s) throws IOException {
        List<PointResult> sweep = s.points();
        String title = "Open loop p99 latency against offered load, " + s.label();
        XYChart c = newXy(title, "offered load, messages per second", "p99 latency, µs (from intended send time)");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        addSeries(c, Report.medians(sweep, variants, r -> r.id().rateMsgsPerSec(), Report.P99, 1));
        List<Integer> rates = Report.ints(sweep, r -> r.id().rateMsgsPerSec());
        if (!rates.isEmpty()) {
            long objective = Verdicts.sloMicros(s.work(), sloMicros);
            XYSeries slo = c.addSeries("SLO p99 " + Stats.format(objective) + " µs",
                    List.of((double) rates.get(0), (double) rates.get(rates.size() - 1)),
                    List.of((double) objective, (double) objective));
            slo.setMarker(SeriesMarkers.NONE);
            slo.setLineStyle(SeriesLines.DASH_DASH);
            slo.setLineColor(java.awt.Color.GRAY);
        }
        return save(c, "latency_vs_load_" + s.fileLabel(), title, List.of());
    }

    /**
     * HdrHistogram-style percentile spectrum at the closed-loop point nearest 100 connections: every
     * repetition's interval histograms merged, x on a log scale of 1/(1-percentile). A repetition
     * whose .hlog is missing or unreadable is named in the chart's list of what it lacks.
     */
    private Report.Chart spectrum(int size, List<PointResult> closed) throws IOException {
        List<Integer> conns = Report.ints(closed, r -> r.id().connections());
        if (conns.isEmpty()) return null;
        int at = conns.contains(100) ? 100 : conns.get((conns.size() - 1) / 2);
        String title = "Latency by percentile, closed loop, " + at + " connections, " + size + " B";
        XYChart c = newXy(title, "percentile", "latency, µs");
        // x is log10(1/(1-p)), on a linear axis: XChart's custom tick labels on a logarithmic axis
        // step through the whole range and never finish drawing.
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setxAxisTickLabelsFormattingFunction(Charts::percentileLabel);
        List<String> missing = new ArrayList<>();
        int series = 0;
        for (String v : variants) {
            List<PointResult> point = closed.stream()
                    .filter(r -> v.equals(r.id().variant()) && r.id().connections() == at).toList();
            if (point.isEmpty()) continue;
            Histogram merged = mergeMicros(point, missing);
            if (merged.getTotalCount() == 0) {
                missing.add(v + ": no latency histogram could be read, so it is not drawn");
                continue;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (HistogramIterationValue it : merged.percentiles(5)) {
                double p = it.getPercentileLevelIteratedTo() / 100.0;
                if (p >= 1.0) break;
                xs.add(Math.log10(1 / (1 - p)));
                ys.add((double) Math.max(1, it.getValueIteratedTo()));
            }
            if (xs.isEmpty()) continue;
            c.addSeries(v, xs, ys).setMarker(SeriesMarkers.NONE);
            series++;
        }
        if (series == 0) return new Report.Chart(null, title, List.copyOf(missing));
        return save(c, "latency_spectrum_c" + at + "_" + size + "B", title, missing);
    }

    /** Labels 0, 1, 2, ... of the log10(1/(1-p)) axis as 0%, 90%, 99%, 99.9%, ...; nothing between. */
    static String percentileLabel(double x) {
        if (x < 0 || Math.abs(x - Math.rint(x)) > 1e-9) return "";
        double p = 100 * (1 - Math.pow(10, -Math.rint(x)));
        if (p == 0) return "0%";
        String s = String.format(Locale.ROOT, "%.6f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    /**
     * Merges the .hlog of each repetition into one histogram in microseconds. The client writes every
     * .hlog in nanoseconds (its --hlog help says so). What cannot be read is added to {@code missing},
     * naming the variant and the repetition.
     */
    Histogram mergeMicros(List<PointResult> reps, List<String> missing) {
        Histogram total = new Histogram(3);
        for (PointResult r : reps) {
            String where = r.id().variant() + " rep " + r.id().rep();
            String f = r.hlogFile();
            if (f == null) {
                missing.add(where + ": the summary names no .hlog file");
                continue;
            }
            Histogram nanos = new Histogram(3);
            try (InputStream in = files.open(f)) {
                if (in == null) {
                    missing.add(where + ": " + f + " is missing");
                    continue;
                }
                HistogramLogReader reader = new HistogramLogReader(in);
                EncodableHistogram h;
                while ((h = reader.nextIntervalHistogram()) != null) {
                    if (h instanceof AbstractHistogram a) nanos.add(a);
                }
            } catch (IOException | RuntimeException e) {
                missing.add(where + ": " + f + " cannot be read (" + firstLine(e) + ")");
                continue;
            }
            if (nanos.getTotalCount() == 0) {
                missing.add(where + ": " + f + " holds no histogram");
                continue;
            }
            for (HistogramIterationValue v : nanos.recordedValues()) {
                total.recordValueWithCount(v.getValueIteratedTo() / 1000, v.getCountAtValueIteratedTo());
            }
        }
        return total;
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** Server CPU per message against the idle connections held, linear x so that 0 idle is on it. */
    private Report.Chart cpuAmongIdle(List<PointResult> among) throws IOException {
        String title = "Server CPU per message against idle connections held ("
                + String.join(", ", Report.ints(among, r -> r.id().connections()).stream().map(Report::thousands).toList())
                + " active)";
        XYChart c = newXy(title, "idle connections", "server CPU µs per message");
        addSeries(c, Report.medians(among, AmongIdle.variants(among, variants), r -> r.id().idleHeld(),
                Report.SERVER_CPU_PER_1000, 1000));
        return save(c, "cpu_per_message_vs_idle", title, List.of());
    }

    private Report.Chart memory(List<PointResult> idle) throws IOException {
        String title = String.format(Locale.ROOT, "Memory per idle connection (%,d connections)",
                Report.ints(idle, r -> r.id().connections()).get(0));
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("variant").yAxisTitle("bytes per connection").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<String> names = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        for (String v : variants) {
            Stats r = Report.stats(idle, v, Report.RSS_PER_CONN, 1);
            if (r == null) continue;
            Stats h = Report.stats(idle, v, Report.HEAP_PER_CONN, 1);
            names.add(v);
            rss.add(r.median());
            heap.add(h == null ? 0.0 : h.median());
        }
        c.addSeries("RSS", names, rss);
        c.addSeries("heap after GC", names, heap);
        return save(c, "memory_per_connection", title, List.of());
    }

    private Report.Chart save(Chart<?, ?> chart, String name, String caption, List<String> missing) throws IOException {
        Path base = runDir.resolve("charts").resolve(name);
        BitmapEncoder.saveBitmap(chart, base + ".png", BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base + ".svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return new Report.Chart("charts/" + name, caption, List.copyOf(missing));
    }
}
