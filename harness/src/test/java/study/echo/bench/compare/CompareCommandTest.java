package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench compare}'s own behaviour around the measuring: what --dry-run touches, the folder, the exit codes. */
@Timeout(120)
class CompareCommandTest {
    @TempDir
    Path tmp;

    /** A PATH whose gcc, cc, clang and taskset only write their name into {@code calls}. */
    private Map<String, String> recordingPath(Path calls) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("fake-bin"));
        for (String tool : List.of("gcc", "cc", "clang", "taskset")) {
            Path fake = bin.resolve(tool);
            Files.writeString(fake, "#!/bin/sh\necho " + tool + " \"$@\" >> '" + calls + "'\nexit 0\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    @Test
    void dryRunCompilesNothingProbesNothingAndCreatesNoFolder() throws Exception {
        Path calls = tmp.resolve("calls.txt");
        Path out = tmp.resolve("run");
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), recordingPath(calls),
                "compare", "--dry-run", "--pin", "--variants", "selector-1,native", "--connections", "10",
                "--sizes", "64", "--rates", "none", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("native closed 10 conns 64 B"), r.stdout());
        assertFalse(Files.exists(calls), () -> "--dry-run ran " + read(calls));
        assertFalse(Files.exists(out), "--dry-run created the run folder");
    }

    @Test
    void listVariantsPrintsTheTableAndTheUsersVariantsAndTouchesNothing() throws Exception {
        Path calls = tmp.resolve("calls.txt");
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), recordingPath(calls), "compare",
                "--list-variants", "--variant", "vt-par1=loom-virtual:-Djdk.virtualThreadScheduler.parallelism=1");
        assertEquals(0, r.exitCode(), r.stderr());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.get(0).startsWith("NAME"), r.stdout());
        for (String name : List.of("selector-1", "selector-N", "loom-virtual", "loom-platform", "netty-nio", "netty-epoll",
                "native", "selector-poll", "vt-par1", "loom-poller1", "loom-poller2", "loom-readpollers1", "loom-readpollersN",
                "loom-par1", "loom-parN", "loom-direct-register")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(name + " ")), name + " missing from\n" + r.stdout());
        }
        String poll = lines.stream().filter(l -> l.startsWith("selector-poll ")).findFirst().orElseThrow();
        assertTrue(poll.matches("selector-poll +selector +--port 0 --loops 1 +"
                + "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider +Selector.*"), poll);
        assertTrue(lines.stream().anyMatch(l -> l.matches("vt-par1 +loom .*-Djdk.virtualThreadScheduler.parallelism=1 .*")),
                r.stdout());
        assertTrue(lines.stream().anyMatch(l -> l.matches(
                "loom-direct-register +loom +--port 0 --threads virtual +-Djdk.useDirectRegister=true +loom-virtual with .*")),
                r.stdout());
        assertFalse(Files.exists(calls), () -> "--list-variants ran " + read(calls));
    }

    @Test
    void listVariantsWithTwoJdksShowsEachJavaVariantOnEachAndNativeOnce() throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        Path link = Files.createSymbolicLink(tmp.resolve("jdk-b"), home);
        String a = "jdk" + Runtime.version().feature();
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--list-variants",
                "--jdk", home + "," + link);
        assertEquals(0, r.exitCode(), r.stderr());
        List<String> lines = r.stdout().lines().toList();
        for (String name : List.of("selector-1@" + a, "selector-1@" + a + "-2", "loom-virtual@" + a, "loom-virtual@" + a + "-2",
                "selector-poll@" + a + "-2", "native")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(name + " ")), name + " missing from\n" + r.stdout());
        }
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("loom-virtual ") || l.startsWith("native@")), r.stdout());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("loom-virtual@" + a + "-2 ") && l.endsWith("on " + link.resolve("bin/java"))),
                r.stdout());
    }

    @Test
    void aJdkPathThatHoldsNoJdk21IsOneLineAndExitTwo() throws Exception {
        Path old = Files.createDirectories(tmp.resolve("jdk-17"));
        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"17.0.2\"\n");
        Path noJava = Files.createDirectories(tmp.resolve("no-java"));
        for (Path bad : List.of(old, noJava)) {
            BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--dry-run",
                    "--jdk", System.getProperty("java.home") + "," + bad);
            assertEquals(2, r.exitCode(), r.stderr());
            assertEquals(1, r.stderr().strip().lines().count(), "one line, no usage, no trace:\n" + r.stderr());
            assertTrue(r.stderr().startsWith("bench compare: --jdk " + bad + ": "), r.stderr());
            assertEquals("", r.stdout(), "no point is listed");
        }
    }

    @Test
    void aBadUserVariantIsOneLineAndExitTwo() throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--dry-run",
                "--variant", "x=selector:-Da=1");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("--variant x: unknown base 'selector'"), r.stderr());
        assertFalse(r.stderr().contains("\tat "), r.stderr());
    }

    @Test
    void aRunWhereEveryPointFailedExitsThreeAndStillWritesTheSummary() throws Exception {
        Path out = tmp.resolve("run");
        // A 1 KiB heap: every Java server fails to start.
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(100), "compare", "--out", out.toString(),
                "--variants", "selector-1", "--connections", "1", "--sizes", "64", "--rates", "none", "--warmup", "0s",
                "--duration", "1s", "--idle-connections", "0", "--server-jvm-options", "-Xmx1k", "--no-report");
        assertEquals(3, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("no point was measured"), r.stdout());
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(2, summary.size(), "header and the failed row: " + summary);
        assertTrue(summary.get(1).contains(",failed,"), summary.get(1));
    }

    @Test
    void aMatrixCutToNothingByTheFileLimitExitsOneWithTheNote() throws Exception {
        List<String> bench = BenchProcess.command("compare", "--variants", "selector-1", "--connections", "1000",
                "--sizes", "64", "--rates", "none", "--idle-connections", "0", "--out", tmp.resolve("run").toString());
        StringBuilder script = new StringBuilder("ulimit -n 400 && exec");
        for (String a : bench) script.append(" '").append(a).append('\'');
        Process p = new ProcessBuilder("sh", "-c", script.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), output);
        assertTrue(output.contains("closed-loop connection counts [1000] cut"), output);
        assertTrue(output.contains("bench compare: nothing to measure"), output);
        assertFalse(Files.exists(tmp.resolve("run")), "nothing to measure, nothing written");
    }

    @Test
    void anOutFolderThatCannotBeWrittenGetsOneLineNamingIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
        assertOneLineAbout(file.resolve("run"), "Not a directory");
        assertOneLineAbout(file, "exists and is not a folder");
        Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        // Root writes anywhere a mode allows nothing; /sys refuses even root.
        Path unwritable = Files.isWritable(readOnly) ? Path.of("/sys/echo-study-run") : readOnly.resolve("run");
        assertOneLineAbout(unwritable, "");
    }

    private void assertOneLineAbout(Path out, String why) throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--out", out.toString(),
                "--variants", "selector-1", "--connections", "1", "--sizes", "64", "--rates", "none",
                "--idle-connections", "0", "--duration", "1s", "--no-report");
        assertEquals(1, r.exitCode(), r.stderr());
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("bench compare: cannot")).toList();
        assertEquals(1, lines.size(), r.stderr());
        assertTrue(lines.get(0).startsWith("bench compare: cannot write the run folder " + out + ": ")
                && lines.get(0).contains(why), r.stderr());
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r.stderr());
    }

    @Test
    void helpDocumentsTheExitCodesAndTheOpenLoopSize() throws Exception {
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(60), "compare", "--help");
        assertEquals(0, r.exitCode());
        String help = r.stdout().replaceAll("\\s+", " ");
        assertTrue(help.contains("3 some or all points failed") && help.contains("130 stopped by Ctrl-C"), help);
        assertTrue(help.contains("else the middle size of this list") && !help.contains("the first size"), help);
        assertTrue(help.contains("loom-tuning loom-virtual, its seven tuning rows")
                && help.contains("2 bad options, or a variant's JVM option the servers' JDK does not support,")
                && help.contains("a --jdk path that holds no runnable JDK 21 or newer"), help);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
