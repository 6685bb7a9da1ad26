package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import study.echo.bench.compare.plan.Jdk;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.RunJson;
import study.echo.bench.compare.results.Summary;
import study.echo.client.ClientResult;

/** A tiny matrix through the real servers and the real load client, each in its own JVM. */
public class CompareEndToEndTest {
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
        // The quick profile's open sweep runs even and poisson arrivals: 2 closed, 4 open and 2 idle points.
        assertTrue(r.stderr().contains("[1/8]") && r.stderr().contains("[8/8]"), r.stderr());
        assertTrue(r.stderr().contains("elapsed") && r.stderr().contains("left"), r.stderr());

        assertEquals(String.join(",", Summary.COLUMN_NAMES), Files.readAllLines(run.resolve("summary.csv")).get(0));
        List<PointResult> rows = Summary.read(run.resolve("summary.csv")).rows();
        assertEquals(8, rows.size());
        for (PointResult row : rows) assertTrue(row.ok(), row.toString());
        assertEquals(Set.of("selector-1", "loom-virtual"), rows.stream().map(x -> x.id().variant()).collect(Collectors.toSet()));
        assertEquals(Set.of(Point.Mode.CLOSED, Point.Mode.OPEN, Point.Mode.IDLE),
                rows.stream().map(x -> x.id().mode()).collect(Collectors.toSet()));

        for (PointResult row : rows) {
            assertEquals(row.id().variant().equals("selector-1") ? ";--port 0 --loops 1" : ";--port 0 --threads virtual",
                    row.variantOptions(), "summary.csv's variant_options");
            assertEquals(Jdk.current().text(), row.jdk(), "without --jdk, the run's JDK");
            if (row.id().mode() == Point.Mode.IDLE) {
                assertEquals(20, row.id().connections());
                assertTrue(row.idle().rssLoadedKib() > 0, row.toString());
                assertTrue(row.idle().heapLoadedKib() > 0, row.toString());
                assertNotNull(row.idle().heapDeltaPerConnBytes(), row.toString());
                continue;
            }
            ClientResult c = row.client();
            assertTrue(c.throughputMsgsPerS() > 0, row.toString());
            assertTrue(c.p99Micros() > 0, row.toString());
            assertTrue(row.server().cpuSPer1000Msgs() > 0, row.toString());
            assertTrue(row.server().threadsMax() > 0, row.toString());
            assertTrue(row.server().peakRssKib() > 0, row.toString());
            assertNotNull(row.server().voluntaryCtxSwitches(), row.toString());
            assertEquals(0, c.mismatches());
            assertTrue(Files.size(run.resolve(row.hgrmFile())) > 0);
            assertTrue(Files.size(run.resolve(row.hlogFile())) > 0);
            assertTrue(Files.size(run.resolve(row.hlogFile().replace(".hlog", ".json"))) > 0, "the client's result file");
            if (row.id().mode() == Point.Mode.OPEN) {
                assertEquals(500, row.id().rateMsgsPerSec());
                assertEquals(5000L, row.verdicts().sloP99Micros());
                assertNotNull(row.verdicts().meetsSlo());
                // The client was told the point's pattern and seed, and said so in its result.
                assertEquals(row.id().arrivals().label(), c.arrivals());
                if (c.arrivals().equals("poisson")) assertEquals(row.id().arrivalsSeed(), c.arrivalsSeed());
            }
        }

        ObjectNode env = RunJson.readObject(run.resolve("environment.json"));
        for (String key : List.of("date_utc", "jdk", "server_jvm_options", "client_jvm_options", "cpu_model", "cores",
                "kernel", "git_commit", "pinning", "matrix", "variants")) {
            assertTrue(env.has(key), "environment.json lacks " + key);
        }
        assertTrue(Files.readString(run.resolve("status.txt")).startsWith("complete"));
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("### Closed loop (pipeline 1): throughput"), report);
        assertTrue(report.contains("### Memory per connection"), report);
        assertFalse(report.contains("### JDKs"), "one JDK ran: no JDK table");
        assertEquals(1, env.get("jdks").size(), env.toString());
        assertTrue(report.contains("### Open loop, 2 connections, 64 B, poisson arrivals"), report);
        assertTrue(report.contains("### Arrival patterns, 2 connections, 64 B"), report);
        assertEquals(Set.of(0, 500), rows.stream().filter(x -> x.id().mode() != Point.Mode.IDLE)
                .map(x -> x.id().rateMsgsPerSec()).collect(Collectors.toSet()));
        assertEquals(2, rows.stream().filter(x -> x.id().key().endsWith("_poisson_r1")).count());
        for (String chart : List.of("throughput_vs_connections_64B", "cpu_per_message_64B", "latency_vs_load_c2_64B",
                "latency_vs_load_c2_64B_poisson", "memory_per_connection")) {
            assertTrue(Files.size(run.resolve("charts").resolve(chart + ".png")) > 0, chart);
            assertTrue(Files.size(run.resolve("charts").resolve(chart + ".svg")) > 0, chart);
        }

        BenchProcess.Result again = BenchProcess.run(tmp, Duration.ofSeconds(60), args);
        assertEquals(1, again.exitCode(), again.stderr());
        assertTrue(again.stderr().contains("already holds a run"), again.stderr());
        assertEquals(9, Files.readAllLines(run.resolve("summary.csv")).size(), "the refused run must not write");

        String[] resume = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--resume"))
                .toArray(String[]::new);
        BenchProcess.Result resumed = BenchProcess.run(tmp, Duration.ofSeconds(60), resume);
        assertEquals(0, resumed.exitCode(), resumed.stderr());
        assertTrue(resumed.stderr().contains("8 of 8 points already done"), resumed.stderr());
        assertEquals(9, Files.readAllLines(run.resolve("summary.csv")).size());

        // A crash part way through writing the last row: --resume must not count that point as done.
        Path summary = run.resolve("summary.csv");
        String text = Files.readString(summary);
        Files.writeString(summary, text.substring(0, text.length() - 12));
        BenchProcess.Result afterCrash = BenchProcess.run(tmp, Duration.ofSeconds(90), resume);
        assertEquals(0, afterCrash.exitCode(), afterCrash.stderr());
        assertTrue(afterCrash.stderr().contains("was cut short") && afterCrash.stderr().contains("7 of 8 points already done"),
                afterCrash.stderr());
        Summary.Contents repaired = Summary.read(summary);
        assertEquals(null, repaired.tornRow());
        assertEquals(rows.stream().map(x -> x.id().key()).toList(), repaired.rows().stream().map(x -> x.id().key()).toList());
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
        assertEquals(3, r.exitCode(), "some points failed: " + r.stderr());
        assertTrue(r.stdout().contains("2 point(s) failed"), r.stdout());
        Map<String, PointResult> byVariant = Summary.read(run.resolve("summary.csv")).rows().stream()
                .collect(Collectors.toMap(x -> x.id().variant(), x -> x));
        assertFalse(byVariant.get("nostart").ok());
        assertTrue(byVariant.get("nostart").reason().contains("exited with code 1 before listening"),
                byVariant.get("nostart").toString());
        assertFalse(byVariant.get("dies").ok());
        assertTrue(byVariant.get("dies").reason().contains("server exited with code 0 during the point"),
                byVariant.get("dies").toString());
        assertTrue(byVariant.get("selector-1").ok(), byVariant.get("selector-1").toString());
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
        assertEquals(3, r.exitCode(), "the one point failed: " + r.stderr());
        PointResult row = Summary.read(run.resolve("summary.csv")).rows().get(0);
        assertFalse(row.ok(), row.toString());
        assertTrue(row.reason().contains("stopped answering"), row.toString());
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
            assertEquals(String.join(",", Summary.COLUMN_NAMES), Files.readAllLines(run.resolve("summary.csv")).get(0));
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

    public static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
