package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import study.echo.bench.compare.measure.PointRunner;
import study.echo.bench.compare.plan.Plan;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.report.Stats;
import study.echo.bench.compare.results.Csv;
import study.echo.bench.compare.results.Json;
import study.echo.bench.compare.results.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A tiny matrix through the real servers and the real load client, each in its own JVM. */
class CompareEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void tinyMatrixWritesEveryFileAndColumnAndRefusesToOverwrite() throws Exception {
        Path run = tmp.resolve("run");
        String[] args = {"compare", "--out", run.toString(), "--variants", "selector-1,loom-virtual",
            "--connections", "2", "--sizes", "64", "--rates", "500", "--warmup", "0s", "--duration", "1s",
            "--idle-connections", "20"};
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(150), args);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("[1/6]") && r.stderr().contains("[6/6]"), r.stderr());
        assertTrue(r.stderr().contains("elapsed") && r.stderr().contains("left"), r.stderr());

        List<String> header = Csv.split(Files.readAllLines(run.resolve("summary.csv")).get(0));
        assertEquals(Summary.COLUMNS, header);
        List<Map<String, String>> rows = Csv.read(run.resolve("summary.csv"));
        assertEquals(6, rows.size());
        for (Map<String, String> row : rows) assertEquals("ok", row.get("status"), row.toString());
        assertEquals(Set.of("selector-1", "loom-virtual"), rows.stream().map(x -> x.get("variant")).collect(Collectors.toSet()));
        assertEquals(Set.of("closed", "open", "idle"), rows.stream().map(x -> x.get("mode")).collect(Collectors.toSet()));

        for (Map<String, String> row : rows) {
            if (row.get("mode").equals("idle")) {
                assertEquals("20", row.get("connections"));
                assertPositive(row, "server_rss_idle_loaded_kib");
                assertPositive(row, "heap_after_gc_loaded_kib");
                assertFalse(row.get("rss_delta_per_conn_bytes").isEmpty(), row.toString());
                assertFalse(row.get("heap_delta_per_conn_bytes").isEmpty(), row.toString());
                continue;
            }
            assertPositive(row, "throughput_msgs_s");
            assertPositive(row, "p99_us");
            assertPositive(row, "server_cpu_s_per_1000_msgs");
            assertPositive(row, "server_threads_max");
            assertPositive(row, "server_peak_rss_kib");
            assertFalse(row.get("server_voluntary_ctx_switches").isEmpty(), row.toString());
            assertEquals("0", row.get("mismatches"));
            assertTrue(Files.size(run.resolve(row.get("hgrm_file"))) > 0);
            assertTrue(Files.size(run.resolve(row.get("hlog_file"))) > 0);
            if (row.get("mode").equals("open")) {
                assertEquals("500", row.get("target_rate_msgs_s"));
                assertEquals("5000", row.get("slo_p99_us"));
                assertFalse(row.get("meets_slo").isEmpty());
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) Json.parse(Files.readString(run.resolve("environment.json")));
        for (String key : List.of("date_utc", "jdk", "server_jvm_options", "client_jvm_options", "cpu_model", "cores",
                "kernel", "git_commit", "pinning", "matrix", "variants")) {
            assertTrue(env.containsKey(key), "environment.json lacks " + key);
        }
        assertTrue(Files.readString(run.resolve("status.txt")).startsWith("complete"));
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("### Closed loop (pipeline 1): throughput"), report);
        assertTrue(report.contains("### Memory per connection"), report);
        for (String chart : List.of("throughput_vs_connections_64B", "cpu_per_message_64B", "latency_vs_load_c2_64B",
                "memory_per_connection")) {
            assertTrue(Files.size(run.resolve("charts").resolve(chart + ".png")) > 0, chart);
            assertTrue(Files.size(run.resolve("charts").resolve(chart + ".svg")) > 0, chart);
        }

        BenchProcess.Result again = BenchProcess.run(tmp, Duration.ofSeconds(60), args);
        assertEquals(1, again.exitCode(), again.stderr());
        assertTrue(again.stderr().contains("already holds a run"), again.stderr());
        assertEquals(7, Files.readAllLines(run.resolve("summary.csv")).size(), "the refused run must not write");

        String[] resume = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--resume"))
                .toArray(String[]::new);
        BenchProcess.Result resumed = BenchProcess.run(tmp, Duration.ofSeconds(60), resume);
        assertEquals(0, resumed.exitCode(), resumed.stderr());
        assertTrue(resumed.stderr().contains("6 of 6 points already done"), resumed.stderr());
        assertEquals(7, Files.readAllLines(run.resolve("summary.csv")).size());
    }

    @Test
    @Timeout(120)
    void aVariantThatFailsToStartOrDiesIsRecordedAsFailedAndTheRunCarriesOn() throws Exception {
        Path dies = tmp.resolve("dies.sh");
        // Announces a port nobody listens on, then exits: a server that crashed right after start.
        Files.writeString(dies, "#!/bin/sh\necho 'listening on 127.0.0.1:9'\nexit 0\n");
        Files.setPosixFilePermissions(dies, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path run = tmp.resolve("run");
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(100), "compare", "--out", run.toString(),
                "--variant-command", "nostart=/bin/false", "--variant-command", "dies=" + dies,
                "--variants", "nostart,dies,selector-1", "--connections", "1", "--sizes", "64", "--rates", "none",
                "--warmup", "0s", "--duration", "1s", "--idle-connections", "0");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("2 point(s) failed"), r.stdout());
        Map<String, Map<String, String>> byVariant = Csv.read(run.resolve("summary.csv")).stream()
                .collect(Collectors.toMap(x -> x.get("variant"), x -> x));
        assertEquals("failed", byVariant.get("nostart").get("status"));
        assertTrue(byVariant.get("nostart").get("reason").contains("exited with code 1 before listening"),
                byVariant.get("nostart").toString());
        assertEquals("failed", byVariant.get("dies").get("status"));
        assertTrue(byVariant.get("dies").get("reason").contains("server exited with code 0 during the point"),
                byVariant.get("dies").toString());
        assertEquals("ok", byVariant.get("selector-1").get("status"), byVariant.get("selector-1").toString());
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("### Failed points") && report.contains("| nostart | closed_c1_s64 | 1 |"), report);
    }

    @Test
    @Timeout(120)
    void aServerThatStopsAnsweringMidPointFailsThatPointAndLeavesNoProcess() throws Exception {
        Path freeze = tmp.resolve("freeze.sh");
        List<String> server = BenchProcess.command("server", "selector", "--port", "0");
        StringBuilder cmd = new StringBuilder();
        for (String a : server) cmd.append('\'').append(a).append("' ");
        // A real server that the kernel freezes (SIGSTOP) 3 s after it starts, mid-measurement.
        Path pidFile = tmp.resolve("server.pid");
        Files.writeString(freeze, "#!/bin/sh\n" + cmd + "&\npid=$!\necho $pid > '" + pidFile
                + "'\nsleep 3\nkill -STOP $pid\nwait $pid\n");
        Files.setPosixFilePermissions(freeze, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path run = tmp.resolve("run");
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(100), "compare", "--out", run.toString(),
                "--variant-command", "freeze=" + freeze, "--variants", "freeze", "--connections", "4", "--sizes", "64",
                "--rates", "none", "--warmup", "0s", "--duration", "5s", "--idle-connections", "0", "--no-report");
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, String> row = Csv.read(run.resolve("summary.csv")).get(0);
        assertEquals("failed", row.get("status"), row.toString());
        assertTrue(row.get("reason").contains("stopped answering"), row.toString());
        long serverPid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(gone(serverPid), "the frozen server outlived the run");
    }

    @Test
    @Timeout(120)
    void ctrlCStopsEveryChildAndKeepsPartialResults() throws Exception {
        Path run = tmp.resolve("run");
        Path err = tmp.resolve("stderr.txt");
        Process compare = new ProcessBuilder(BenchProcess.command("compare", "--out", run.toString(),
                "--variants", "selector-1", "--connections", "10", "--sizes", "64", "--rates", "none",
                "--warmup", "0s", "--duration", "60s", "--idle-connections", "0", "--reps", "2"))
                .redirectOutput(tmp.resolve("stdout.txt").toFile()).redirectError(err.toFile()).start();
        try {
            List<ProcessHandle> children = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // Wait until the server and the client both run (the client is the second child).
            while (System.nanoTime() < deadline) {
                children = compare.descendants().toList();
                if (children.size() >= 2 && Files.exists(run.resolve("logs/selector-1_closed_c10_s64_r1-client.log"))) break;
                Thread.sleep(100);
            }
            assertTrue(children.size() >= 2, "server and client never both ran: " + Files.readString(err));
            Thread.sleep(1000);
            children = compare.descendants().toList();
            new ProcessBuilder("kill", "-INT", Long.toString(compare.pid())).start().waitFor();
            assertTrue(compare.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "compare did not exit on SIGINT");
            for (ProcessHandle child : children) {
                assertTrue(gone(child.pid()), "child " + child.pid() + " " + child.info().commandLine().orElse("") + " survived");
            }
            assertTrue(Files.readString(run.resolve("status.txt")).startsWith("interrupted"), Files.readString(err));
            assertEquals(Summary.COLUMNS, Csv.split(Files.readAllLines(run.resolve("summary.csv")).get(0)));
            assertTrue(Files.readString(err).contains("partial results kept"), Files.readString(err));
        } finally {
            compare.descendants().forEach(ProcessHandle::destroyForcibly);
            compare.destroyForcibly();
        }
    }

    /**
     * True once a process no longer runs. A killed process whose parent has died lingers as a zombie
     * until init reaps it, so wait a few seconds and count a zombie as gone.
     */
    static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String stat = String.join(" ", Files.readAllLines(Path.of("/proc", Long.toString(pid), "stat")));
                if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) return true;
            } catch (IOException e) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static void assertPositive(Map<String, String> row, String column) {
        double v = PointRunner.parse(row.get(column));
        assertTrue(v > 0, column + " should be positive in " + row);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
