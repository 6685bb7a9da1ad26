package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import study.echo.common.Csv;

/** The files other tools read: summary CSV, interval log, percentile distribution, timeline. */
class OutputsTest {
    /** Pinned here on purpose: ./bench compare parses this header. */
    static final String CSV_HEADER = "mode,connections,size_bytes,pipeline,target_rate_msgs_s,max_in_flight,"
            + "duration_s,messages,throughput_msgs_s,p50_us,p90_us,p99_us,p999_us,p9999_us,max_us,service_p99_us,"
            + "capped_sends,late_sends,max_behind_us,errors,mismatches,short_echoes,early_closes,connect_failures,"
            + "client_cpu_s,client_cpu_percent,"
            + "unanswered,send_lag_p50_us,send_lag_p99_us,send_lag_max_us,client_busiest_io_thread_cpu_percent,"
            + "arrivals,arrivals_seed,sends_within_100us_percent,idle_held_connections,idle_lost_connections";

    @TempDir
    Path dir;

    @Test
    void hlogReadsBackAndItsTotalCountMatchesTheSummary() throws Exception {
        Path csv = dir.resolve("s.csv");
        Path hlog = dir.resolve("run.hlog");
        Path hgrm = dir.resolve("run.hgrm");
        Path timeline = dir.resolve("timeline.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "3", "--duration", "2s",
                    "--warmup", "300ms", "--csv", csv.toString(), "--hlog", hlog.toString(),
                    "--hgrm", hgrm.toString(), "--timeline", timeline.toString());
            assertEquals(0, run.exitCode(), run::toString);
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            long answered = Long.parseLong(row.get("messages"));
            assertTrue(answered > 0, run::toString);
            // The histograms hold the answered messages and any left unanswered at the end.
            long summaryCount = answered + Long.parseLong(row.get("unanswered"));
            double busiest = Double.parseDouble(row.get("client_busiest_io_thread_cpu_percent"));
            assertTrue(busiest > 0 && busiest <= 110, row::toString);
            assertTrue(busiest <= Double.parseDouble(row.get("client_cpu_percent")), row::toString);
            java.util.regex.Matcher printed = java.util.regex.Pattern.compile("busiest I/O thread (\\d+)%")
                    .matcher(run.out());
            assertTrue(printed.find(), run::toString);
            // The summary rounds to whole percents, the CSV to tenths: the same figure either way.
            assertEquals(busiest, Double.parseDouble(printed.group(1)), 1.0, run::toString);

            Histogram total = new Histogram(3);
            int intervals = 0;
            try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
                for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                    total.add((Histogram) h);
                    intervals++;
                }
            }
            assertEquals(summaryCount, total.getTotalCount());
            assertEquals(2, intervals, "one interval per measured second");
            assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "%,d", answered)), run::toString);

            List<String> tl = Files.readAllLines(timeline);
            assertEquals(TimelineWriter.HEADER, tl.get(0));
            assertEquals(3, tl.size(), () -> "header and one row per second: " + tl);
            long timelineCount = Csv.readTable(timeline).stream().mapToLong(r -> Long.parseLong(r.get("messages"))).sum();
            assertEquals(answered, timelineCount);

            String dist = Files.readString(hgrm);
            assertTrue(dist.contains("Percentile") && dist.contains("#[Mean"), dist);
            assertTrue(dist.matches("(?s).*Total count\\s*=\\s*" + summaryCount + "].*"), dist);

            // Progress: one line per second on stderr, warm-up marked.
            assertTrue(run.err().contains("warmup") && run.err().contains("measure"), run::toString);
        }
    }

    @Test
    void csvHeaderIsWrittenOnceAndRowsAppend() throws Exception {
        Path csv = dir.resolve("s.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            for (String[] mode : List.of(new String[] {"--pipeline", "2"}, new String[] {"--rate", "500"})) {
                ClientRun run = ClientRun.of("--target", server.target(), "--connections", "2", "--duration", "200ms",
                        "--warmup", "0s", "--quiet", "--csv", csv.toString(), mode[0], mode[1]);
                assertEquals(0, run.exitCode(), run::toString);
                assertTrue(run.err().isEmpty(), "--quiet silences progress: " + run.err());
            }
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size(), lines::toString);
        assertEquals(CSV_HEADER, lines.get(0));
        assertEquals(SummaryCsv.HEADER, CSV_HEADER);
        List<Csv.Record> records = Csv.parse(Files.readString(csv));
        int columns = records.get(0).fields().size();
        assertEquals(columns, records.get(1).fields().size());
        assertEquals(columns, records.get(2).fields().size());
        List<Map<String, String>> rows = Csv.readTable(csv);
        Map<String, String> closed = rows.get(0);
        Map<String, String> open = rows.get(1);
        assertEquals("closed", closed.get("mode"));
        assertEquals("2", closed.get("pipeline"));
        assertEquals("0", closed.get("target_rate_msgs_s"));
        assertEquals("open", open.get("mode"));
        assertEquals("500", open.get("target_rate_msgs_s"));
        assertEquals("1", open.get("max_in_flight"));
    }

    @Test
    void sendLagIsReportedInTheOpenLoopAndLeftEmptyInTheClosedLoop() throws Exception {
        Path csv = dir.resolve("lag.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            for (String[] mode : List.of(new String[] {"--pipeline", "1"}, new String[] {"--rate", "1000"})) {
                ClientRun run = ClientRun.of("--target", server.target(), "--connections", "4", "--duration", "1s",
                        "--warmup", "200ms", "--quiet", "--csv", csv.toString(), mode[0], mode[1]);
                assertEquals(0, run.exitCode(), run::toString);
                assertEquals(mode[0].equals("--rate"), run.out().contains("send lag     p50 "), run::toString);
            }
        }
        List<Map<String, String>> rows = Csv.readTable(csv);
        Map<String, String> closed = rows.get(0);
        Map<String, String> open = rows.get(1);
        for (String column : List.of("send_lag_p50_us", "send_lag_p99_us", "send_lag_max_us",
                "sends_within_100us_percent")) {
            assertEquals("", closed.get(column), closed::toString);
        }
        double p50 = Double.parseDouble(open.get("send_lag_p50_us"));
        double p99 = Double.parseDouble(open.get("send_lag_p99_us"));
        double max = Double.parseDouble(open.get("send_lag_max_us"));
        assertTrue(p50 > 0 && p50 <= p99 && p99 <= max, open::toString);
        assertEquals(max, Double.parseDouble(open.get("max_behind_us")), 0.01, open::toString);
        double onTime = Double.parseDouble(open.get("sends_within_100us_percent"));
        assertTrue(onTime >= 0 && onTime <= 100, open::toString);
    }

    @Test
    void anHgrmIntoAMissingFolderIsRefusedBeforeTheRun() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            Path hgrm = dir.resolve("no-such-folder").resolve("run.hgrm");
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "2", "--duration", "5s",
                    "--warmup", "0s", "--quiet", "--hgrm", hgrm.toString());
            assertEquals(1, run.exitCode(), run::toString);
            assertEquals(1, run.err().lines().count(), run::toString);
            assertTrue(run.err().contains("cannot write --hgrm " + hgrm), run::toString);
            assertTrue(server.acceptNanos.isEmpty(), "refused before any connection");
        }
    }

    @Test
    void aCsvWithAnotherHeaderIsRefusedBeforeTheRun() throws Exception {
        Path csv = dir.resolve("other.csv");
        Files.writeString(csv, "a,b,c\n1,2,3\n");
        ClientRun run = ClientRun.of("--target", "127.0.0.1:1", "--csv", csv.toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("different header"), run::toString);
        assertEquals("a,b,c\n1,2,3\n", Files.readString(csv));
        assertFalse(run.err().contains("\tat "), run::toString);
    }
}
