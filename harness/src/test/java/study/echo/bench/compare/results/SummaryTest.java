package study.echo.bench.compare.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.plan.PointId;
import study.echo.common.Csv;
import study.echo.common.UserException;
import study.echo.client.ArrivalPattern;
import study.echo.common.work.WorkSpec;

/** summary.csv: its header, the round trip of every kind of row, and what a damaged file gets. */
class SummaryTest {
    /** The header of the committed runs, byte for byte: pandas, R and spreadsheets read these names. */
    static final String COMMITTED_HEADER = "variant,mode,connections,size_bytes,pipeline,target_rate_msgs_s,max_in_flight,"
            + "rep,status,reason,warmup_s,duration_s,messages,throughput_msgs_s,p50_us,p90_us,p99_us,p999_us,p9999_us,"
            + "max_us,service_p99_us,capped_sends,late_sends,max_behind_us,errors,mismatches,short_echoes,early_closes,"
            + "connect_failures,client_cpu_s,client_cpu_percent,client_limit_suspect,slo_p99_us,meets_slo,server_cpu_s,"
            + "server_cpu_percent,server_cpu_s_per_1000_msgs,server_voluntary_ctx_switches,"
            + "server_involuntary_ctx_switches,server_ctx_switches_per_1000_msgs,server_threads_max,server_peak_rss_kib,"
            + "server_accept_s,server_rss_idle_base_kib,server_rss_idle_loaded_kib,heap_after_gc_base_kib,"
            + "heap_after_gc_loaded_kib,rss_delta_per_conn_bytes,heap_delta_per_conn_bytes,hgrm_file,hlog_file\n";

    @TempDir
    Path dir;

    /** The columns issues 10, 12 and 14 added, after every committed one, so that a reader by position sees no change. */
    static final String ADDED_COLUMNS = ",unanswered,send_lag_p50_us,send_lag_p99_us,send_lag_max_us,"
            + "client_busiest_io_thread_cpu_percent,arrivals,arrivals_seed,other_cpu_percent,steal_cpu_percent,disturbed,"
            + "variant_options,work,sends_within_100us_percent,"
            // issue 12: system calls and context switches per message (--syscalls)
            + "syscalls_per_msg,ctx_switches_per_msg,syscall_counter,syscalls_by_call_per_msg,idle_held_connections,jdk";

    @Test
    void theHeaderIsTheCommittedOneByteForByteThenTheAddedColumns() throws Exception {
        try (Summary s = Summary.open(dir)) {
            // header only
        }
        assertEquals(COMMITTED_HEADER.strip() + ADDED_COLUMNS + "\n",
                Files.readString(dir.resolve(Summary.FILE), StandardCharsets.UTF_8));
    }

    static List<PointResult> everyKindOfRow() {
        PointId idle = new PointId("loom-virtual", Point.Mode.IDLE, 10000, 0, 0, 1);
        PointId failed = new PointId("nostart", Point.Mode.CLOSED, 1, 64, 0, 2);
        return List.of(
                Rows.closed("selector-1@jdk25-2", 100, 1, 88201.5, 474.6).withVariantOptions(";--port 0 --loops 1")
                        .withJdk("25 (25.0.3+9-LTS)")
                        .withSyscalls(new SyscallCounts(SyscallCounts.PERF, 2.25, 0.0125,
                                new java.util.LinkedHashMap<>(java.util.Map.of("read", 1.0625)))),
                Rows.open("loom-virtual", 20000, 3, 19950.2, 2500.4, 5000)
                        .withVariantOptions("-Da=b -XX:+UseG1GC;--port 0 --buffer-size=65536, quoted \"x\""),
                new PointResult(idle, null, PointResult.Status.OK, "", null, ServerResources.idle(25, 220000), null,
                        IdleMemory.of(10000, 50000, 170000, 8000L, 130000L), null, null, null),
                new PointResult(idle, null, PointResult.Status.OK, "note", null, ServerResources.idle(9, 1000), null,
                        IdleMemory.of(10000, 1000, 2000, null, null), null, null, null),
                PointResult.failed(failed, new PointTimes(2, 4),
                        "server exited: \"quoted\", with commas, µs – ü\nand a second line"));
    }

    @Test
    void everyKindOfRowReadsBackAsItWasWritten() throws Exception {
        List<PointResult> rows = everyKindOfRow();
        try (Summary s = Summary.open(dir)) {
            for (PointResult r : rows) s.append(r);
        }
        Summary.Contents back = Summary.read(dir.resolve(Summary.FILE));
        assertNull(back.tornRow());
        assertEquals(rows.size(), back.rows().size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(Summary.cells(rows.get(i)), Summary.cells(back.rows().get(i)), "row " + i);
            assertEquals(rows.get(i).id(), back.rows().get(i).id());
            assertEquals(rows.get(i).verdicts(), back.rows().get(i).verdicts());
            assertEquals(rows.get(i).server(), back.rows().get(i).server());
            assertEquals(rows.get(i).idle(), back.rows().get(i).idle());
            assertEquals(rows.get(i).syscalls(), back.rows().get(i).syscalls(), "row " + i);
        }
        assertEquals("server exited: \"quoted\", with commas, µs – ü / and a second line", back.rows().get(4).reason());
        assertEquals("-Da=b -XX:+UseG1GC;--port 0 --buffer-size=65536, quoted \"x\"", back.rows().get(1).variantOptions());
        assertEquals("25 (25.0.3+9-LTS)", back.rows().get(0).jdk());
        assertEquals("selector-1@jdk25-2_closed_c100_s64_r1", back.rows().get(0).id().key());
        assertTrue(Files.readAllLines(dir.resolve(Summary.FILE)).get(1).endsWith(",25 (25.0.3+9-LTS)"), "jdk is the last cell");
        assertEquals(rows.size() + 1, Files.readAllLines(dir.resolve(Summary.FILE)).size(), "one line per row");
    }

    @Test
    void theWorkOfARowReadsBackAndARunFromBeforeTheWorkColumnReadsAsTheEcho() throws Exception {
        WorkSpec work = WorkSpec.parse("cpu:10us+wait:1ms");
        PointId id = new PointId("loom-virtual", Point.Mode.CLOSED, 100, 64, 0, 1, work);
        PointResult row = Rows.ok(id, Rows.client(id, 4000, 1000, 1500, 0, 10), null, "points/" + id.key() + ".hlog");
        try (Summary s = Summary.open(dir)) {
            s.append(row);
            s.append(Rows.closed("selector-1", 100, 1, 88201.5, 474.6));
        }
        Path file = dir.resolve(Summary.FILE);
        List<PointResult> back = Summary.read(file).rows();
        assertEquals(work, back.get(0).id().work());
        assertEquals("loom-virtual_closed_c100_s64_cpu10us-wait1ms_r1", back.get(0).id().key());
        assertEquals(WorkSpec.NONE, back.get(1).id().work());
        int workColumn = Summary.COLUMN_NAMES.indexOf("work");
        List<Csv.Record> records = Csv.parse(Files.readString(file));
        assertEquals("cpu:10us+wait:1ms", records.get(1).fields().get(workColumn));

        // A committed run: no work column at all (nor those after it). Its rows are the echo, with the
        // keys they always had.
        StringBuilder old = new StringBuilder();
        for (Csv.Record r : List.of(records.get(0), records.get(2))) old.append(Csv.line(r.fields().subList(0, workColumn)));
        Files.writeString(file, old.toString());
        PointResult oldRow = Summary.read(file).rows().get(0);
        assertEquals(WorkSpec.NONE, oldRow.id().work());
        assertEquals("selector-1_closed_c100_s64_r1", oldRow.id().key());
    }

    @Test
    void anOpenPointReadsBackWithItsArrivalPatternFailedOrNot() throws Exception {
        ArrivalPattern poisson = ArrivalPattern.parse("poisson");
        PointId measured = new PointId("selector-1", Point.Mode.OPEN, 100, 64, 20000, 1, WorkSpec.NONE, poisson);
        PointId failed = new PointId("loom-virtual", Point.Mode.OPEN, 100, 64, 20000, 1, WorkSpec.NONE, poisson);
        try (Summary s = Summary.open(dir)) {
            s.append(Rows.ok(measured, Rows.client(measured, 4000, 1000, 1500, 0, 10), null, null));
            s.append(PointResult.failed(failed, new PointTimes(2, 4), "server did not start"));
            s.append(Rows.open("selector-1", 20000, 1, 19990, 400, 5000));
        }
        List<PointResult> back = Summary.read(dir.resolve(Summary.FILE)).rows();
        assertEquals(List.of("selector-1_open_c100_s64_rate20000_poisson_r1", "loom-virtual_open_c100_s64_rate20000_poisson_r1",
                "selector-1_open_c100_s64_rate20000_r1"), back.stream().map(r -> r.id().key()).toList());
        assertEquals(poisson, back.get(1).id().arrivals());
    }

    @Test
    void aWorkCellThatIsNoSpecIsNamed() throws Exception {
        try (Summary s = Summary.open(dir)) {
            s.append(Rows.closed("selector-1", 100, 1, 88201.5, 474.6));
        }
        Path file = dir.resolve(Summary.FILE);
        List<Csv.Record> records = Csv.parse(Files.readString(file));
        List<String> row = new java.util.ArrayList<>(records.get(1).fields());
        row.set(Summary.COLUMN_NAMES.indexOf("work"), "cpu:fast");
        Files.writeString(file, Csv.line(records.get(0).fields()) + Csv.line(row));
        UserException e = assertThrows(UserException.class, () -> Summary.read(file));
        assertTrue(e.getMessage().contains("column work: 'cpu:fast' where a work spec"), e.getMessage());
    }

    @Test
    void theCsvWriterAndReaderAgreeOnQuotesCommasLineBreaksAndNonAscii() throws Exception {
        List<String> fields = List.of("plain", "with, comma", "with \"quote\"", "", "two\nlines", "cr\r\nlf", "µs – ü");
        String line = Csv.line(fields);
        assertTrue(line.endsWith("\n"));
        assertEquals(List.of(new Csv.Record(1, fields)), Csv.parse(line));
        assertEquals("a,\"b,c\",\"d\"\"e\",f g\n", Csv.line(List.of("a", "b,c", "d\"e", "f g")));
    }

    @Test
    void aReasonIsAlwaysOneLine() {
        PointResult r = PointResult.failed(new PointId("v", Point.Mode.CLOSED, 1, 64, 0, 1), null,
                "harness error: java.io.IOException: first\n\tat a.b(C.java:1)\r\n  at d.e(F.java:2)\n");
        assertEquals("harness error: java.io.IOException: first / at a.b(C.java:1) / at d.e(F.java:2)", r.reason());
    }

    @Test
    void aTornLastRowIsLeftOutReportedAndCutBeforeTheNextAppend() throws Exception {
        List<PointResult> rows = everyKindOfRow().subList(0, 2);
        Path file = dir.resolve(Summary.FILE);
        try (Summary s = Summary.open(dir)) {
            for (PointResult r : rows) s.append(r);
        }
        String whole = Files.readString(file);
        // A crash part way through the second row: its throughput 19950.2 cut to 199.
        String torn = whole.substring(0, whole.indexOf("19950.2") + 3);
        Files.writeString(file, torn);

        Summary.Contents c = Summary.read(file);
        assertEquals(1, c.rows().size());
        assertEquals(rows.get(0).id(), c.rows().get(0).id());
        assertTrue(c.tornRow().startsWith("loom-virtual,open,100,64,,20000,1,3,ok") && c.tornRow().endsWith(",199"),
                c.tornRow());

        try (Summary s = Summary.open(dir)) {
            s.append(rows.get(1));
        }
        Summary.Contents again = Summary.read(file);
        assertNull(again.tornRow());
        assertEquals(List.of(rows.get(0).id(), rows.get(1).id()), again.rows().stream().map(PointResult::id).toList());
    }

    private Path summaryWith(String text) throws IOException {
        Path file = dir.resolve(Summary.FILE);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private String written(List<PointResult> rows) throws IOException {
        try (Summary s = Summary.open(dir)) {
            for (PointResult r : rows) s.append(r);
        }
        String text = Files.readString(dir.resolve(Summary.FILE));
        Files.delete(dir.resolve(Summary.FILE));
        return text;
    }

    @Test
    void aCellThatDoesNotParseIsNamedByFileRowAndColumn() throws Exception {
        String text = written(everyKindOfRow()).replace(",474.6,", ",47x.6,");
        Path file = summaryWith(text);
        UserException e = assertThrows(UserException.class, () -> Summary.read(file));
        assertEquals(file + ": row 1 (line 2), column p99_us: '47x.6' where a number was expected", e.getMessage());
    }

    @Test
    void aMeasuredRowWithoutAClientFigureIsRefused() throws Exception {
        String text = written(everyKindOfRow().subList(0, 1)).replace(",88201.5,", ",,");
        Path file = summaryWith(text);
        UserException e = assertThrows(UserException.class, () -> Summary.read(file));
        assertTrue(e.getMessage().contains("row 1 (line 2), column throughput_msgs_s: empty where a number"), e.getMessage());
    }

    @Test
    void aRowWithTooFewFieldsIsRefused() throws Exception {
        String text = written(everyKindOfRow().subList(0, 1));
        Path file = summaryWith(text.substring(0, text.lastIndexOf(',')) + "\n");
        UserException e = assertThrows(UserException.class, () -> Summary.read(file));
        int columns = Summary.COLUMN_NAMES.size();
        assertTrue(e.getMessage().contains("row 1 (line 2) has " + (columns - 1) + " fields; the header has " + columns),
                e.getMessage());
    }

    @Test
    void aHeaderWithoutAColumnIsRefusedButAColumnAddedLaterIsOptional() throws Exception {
        String text = written(everyKindOfRow());
        Path file = summaryWith(text.replaceFirst("rep,status,reason,", "rep,status,cause,"));
        UserException e = assertThrows(UserException.class, () -> Summary.read(file));
        assertEquals(file + ": the header has no 'reason' column; is it a comparison summary?", e.getMessage());

        // A run from before server_accept_s: the column and its cells removed.
        StringBuilder old = new StringBuilder();
        int col = Summary.COLUMN_NAMES.indexOf("server_accept_s");
        for (Csv.Record r : Csv.parse(text)) {
            List<String> f = new java.util.ArrayList<>(r.fields());
            f.remove(col);
            old.append(Csv.line(f));
        }
        Summary.Contents c = Summary.read(summaryWith(old.toString()));
        assertEquals(everyKindOfRow().size(), c.rows().size());
        assertNull(c.rows().get(0).server().acceptS());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirOffset() throws Exception {
        byte[] text = written(everyKindOfRow()).getBytes(StandardCharsets.UTF_8);
        int at = COMMITTED_HEADER.length() + 3;
        text[at] = (byte) 0xff;
        Path file = dir.resolve(Summary.FILE);
        Files.write(file, text);
        UserException e = assertThrows(UserException.class, () -> Summary.read(file));
        assertEquals(file + ": not UTF-8 text (byte 0xff at offset " + at + ")", e.getMessage());
    }

    @Test
    void numbersCarryNoSpuriousDigits() {
        assertEquals("3", Summary.num(3.0));
        assertEquals("0.00925572", Summary.num(0.009255721234));
        assertEquals("1234570", Summary.num(1234567.8));
        assertEquals("", Summary.num(Double.NaN));
        assertFalse(Summary.cells(everyKindOfRow().get(0)).contains("null"));
    }

    /** The --syscalls columns are four in a row (the header test fixes where); a point not counted keeps them empty but for the counter. */
    @Test
    void syscallCellsAreFourInARowAndEmptyWhenNotCounted() {
        List<String> names = Summary.COLUMN_NAMES;
        int at = names.indexOf("syscalls_per_msg");
        assertEquals(List.of("syscalls_per_msg", "ctx_switches_per_msg", "syscall_counter", "syscalls_by_call_per_msg"),
                names.subList(at, at + 4));
        PointResult row = Rows.closed("selector-1", 100, 1, 88201.5, 474.6);
        List<String> notCounted = Summary.cells(row.withSyscalls(SyscallCounts.notCounted(SyscallCounts.NONE)));
        assertEquals(List.of("", "", "none", ""), notCounted.subList(at, at + 4));
        List<String> perfFailed = Summary.cells(row.withSyscalls(SyscallCounts.notCounted(SyscallCounts.PERF)));
        assertEquals(List.of("", "", "perf", ""), perfFailed.subList(at, at + 4));
        List<String> counted = Summary.cells(row.withSyscalls(new SyscallCounts(SyscallCounts.STRACE, 1.88918, null,
                new java.util.LinkedHashMap<>(java.util.Map.of("read", 0.939)))));
        assertEquals(List.of("1.88918", "", "strace", "read:0.9390"), counted.subList(at, at + 4));
        List<String> failed = Summary.cells(PointResult.failed(row.id(), null, "server did not start"));
        assertEquals(List.of("", "", "", ""), failed.subList(at, at + 4));
    }
}
