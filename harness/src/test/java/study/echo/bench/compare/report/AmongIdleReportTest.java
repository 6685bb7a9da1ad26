package study.echo.bench.compare.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.plan.PointId;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.PointTimes;
import study.echo.bench.compare.results.Rows;
import study.echo.bench.compare.results.ServerResources;
import study.echo.bench.compare.results.Summary;
import study.echo.client.ArrivalPattern;
import study.echo.common.Csv;
import study.echo.common.work.WorkSpec;

/** The active-among-idle points in summary.csv and in the report's section of their own, from a fixture. */
class AmongIdleReportTest {
    @TempDir
    Path dir;

    /** An active-among-idle row: 100 active connections among {@code idle}, with the figures given. */
    static PointResult among(String variant, int idle, int rep, double throughput, double cpuMicrosPerMsg, double p99) {
        return among(Point.Mode.CLOSED, 0, variant, idle, rep, throughput, cpuMicrosPerMsg, p99);
    }

    static PointResult among(Point.Mode mode, int rate, String variant, int idle, int rep, double throughput,
                             double cpuMicrosPerMsg, double p99) {
        PointId id = new PointId(variant, mode, 100, 64, rate, rep, WorkSpec.NONE, ArrivalPattern.EVEN, idle);
        ServerResources server = new ServerResources(1.0, 50.0, cpuMicrosPerMsg / 1000, 100L, 10L, 1.0, 20, 70_000L, 0.1);
        return new PointResult(id, new PointTimes(2, 5), PointResult.Status.OK, "",
                Rows.client(id, (long) throughput * 5, throughput, p99, 0, 40), server, null, null, null, null, null);
    }

    private static List<PointResult> fixture() {
        List<PointResult> rows = new ArrayList<>();
        for (int rep = 1; rep <= 2; rep++) {
            rows.add(among("selector-1", 0, rep, 100_000 + rep, 8.5, 400));
            rows.add(among("selector-1", 10_000, rep, 98_000, 8.75, 420));
            rows.add(among("selector-poll", 0, rep, 99_000, 8.6, 410));
            rows.add(among("selector-poll", 10_000, rep, 20_000, 45.0 + rep, 2100));
        }
        rows.add(among(Point.Mode.OPEN, 20_000, "selector-poll", 10_000, 1, 19_990, 50, 123_456));
        // A plain closed point at the same 100 connections, which the closed-loop tables keep to themselves.
        rows.add(Rows.closed("selector-1", 100, 1, 77_777, 300));
        return rows;
    }

    @Test
    void theKeyAndTheIdleColumnReadBackAsWritten() throws Exception {
        try (Summary s = Summary.open(dir)) {
            for (PointResult r : fixture()) s.append(r);
        }
        List<Csv.Record> lines = Csv.parse(Files.readString(dir.resolve(Summary.FILE)));
        int column = lines.get(0).fields().indexOf("idle_held_connections");
        assertTrue(column >= 0, lines.get(0)::toString);
        assertEquals("10000", lines.get(2).fields().get(column), lines.get(2)::toString);
        assertEquals("", lines.getLast().fields().get(column), "a plain point has the cell empty");
        List<PointResult> back = Summary.read(dir.resolve(Summary.FILE)).rows();
        assertEquals(fixture().stream().map(r -> r.id().key()).toList(), back.stream().map(r -> r.id().key()).toList());
        assertEquals("selector-poll_closed_c100_s64_idle10000_r1", back.get(3).id().key());
        assertEquals(10_000, back.get(3).client().idleHeldConnections());
    }

    @Test
    void theReportHasTheSectionWithATableOfEachFigureAndTheChart() throws Exception {
        try (Summary s = Summary.open(dir)) {
            for (PointResult r : fixture()) s.append(r);
        }
        new Report(dir).write();
        String md = Files.readString(dir.resolve(Report.FILE));
        int section = md.indexOf("### Active among idle connections");
        assertTrue(section > 0, md);
        String text = md.substring(section);
        assertTrue(text.contains("poll(2)"), text);
        assertTrue(text.contains("**Active among idle connections: throughput, messages per second**\n\n"
                + "| idle connections | selector-1 | selector-poll |\n|---|---|---|\n"
                + "| 0 | 100,002 (100,001–100,002) | 99,000 |\n| 10,000 | 98,000 | 20,000 |\n"), text);
        assertTrue(text.contains("| 10,000 | 8.75 | 46.5 (46–47) |"), text);
        assertTrue(text.contains("| 10,000 | 420 | 2,100 |"), text);
        assertTrue(text.contains("**Active among idle connections: open loop at 20,000 msg/s, p99 latency from the intended"
                + " send time, µs**\n\n| idle connections | selector-poll |\n|---|---|\n| 10,000 | 123,456 |\n"), text);
        assertFalse(md.substring(0, section).contains("123,456"), "the open point among idle ones is in no other table");
        assertTrue(Files.exists(dir.resolve("charts/cpu_per_message_vs_idle.png")));
        assertTrue(md.contains("![Server CPU per message against idle connections held (100 active)]"
                + "(charts/cpu_per_message_vs_idle.png)"), md);
        // The closed-loop table holds the plain point alone: no median mixed with the points among idle ones.
        String closed = md.substring(md.indexOf("### Closed loop (pipeline 1): throughput"), section);
        assertTrue(closed.contains("77,777"), closed);
        assertFalse(closed.contains("98,000") || closed.contains("100,00"), closed);
    }
}
