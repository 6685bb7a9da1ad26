package study.echo.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code ./bench} chooses a JDK, against fake JDK folders so that the result does not depend on
 * what the machine has installed.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("bench");

    @TempDir
    Path tmp;

    record Outcome(int exitCode, String out, String err) {}

    private Path fakeJdk(Path parent, String name, String version) throws IOException {
        Path home = parent.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        for (String tool : List.of("java", "javac")) {
            Path exe = home.resolve("bin").resolve(tool);
            Files.writeString(exe, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    /** A PATH holding only what the launcher needs to run, and no javac. */
    private Path toolsOnlyPath() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("path"));
        for (String tool : List.of("bash", "env", "sed", "dirname", "readlink", "find", "cat")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path real = Path.of(dir, tool);
                if (Files.isExecutable(real) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), real);
                }
            }
        }
        return bin;
    }

    private Outcome launch(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(concat(LAUNCHER.toString(), args));
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher finished");
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), UTF_8),
                new String(p.getErrorStream().readAllBytes(), UTF_8));
    }

    private static List<String> concat(String first, String... rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.stream.Stream.of(rest)).toList();
    }

    @Test
    void withNoJdk21ItSaysWhatIsMissingInOneLine() throws Exception {
        Path jvms = Files.createDirectories(tmp.resolve("jvm"));
        Path old = fakeJdk(jvms, "jdk-17", "17.0.15");
        Outcome o = launch(Map.of("BENCH_JVM_DIRS", jvms.toString(), "JAVA_HOME", old.toString(),
                "PATH", toolsOnlyPath().toString()), "jdk");
        assertEquals(1, o.exitCode());
        assertEquals("", o.out());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("no JDK 21 or newer found"), o.err());
    }

    @Test
    void takesTheNewestJdkWhenJavaHomeIsTooOld() throws Exception {
        Path jvms = Files.createDirectories(tmp.resolve("jvm"));
        Path old = fakeJdk(jvms, "jdk-17", "17.0.15");
        fakeJdk(jvms, "jdk-21", "21.0.5");
        Path newest = fakeJdk(jvms, "jdk-25", "25.0.1");
        fakeJdk(jvms, "jre-only", "26").resolve("bin/javac").toFile().delete();
        Outcome o = launch(Map.of("BENCH_JVM_DIRS", jvms.toString(), "JAVA_HOME", old.toString(),
                "PATH", toolsOnlyPath().toString()), "jdk");
        assertEquals(0, o.exitCode(), o.err());
        assertEquals(newest.toString(), o.out().strip());
    }

    @Test
    void prefersJavaHomeWhenItIsNewEnough() throws Exception {
        Path jvms = Files.createDirectories(tmp.resolve("jvm"));
        Path home = fakeJdk(jvms, "jdk-21", "21.0.5");
        fakeJdk(jvms, "jdk-25", "25.0.1");
        Outcome o = launch(Map.of("BENCH_JVM_DIRS", jvms.toString(), "JAVA_HOME", home.toString(),
                "PATH", toolsOnlyPath().toString()), "jdk");
        assertEquals(0, o.exitCode(), o.err());
        assertEquals(home.toString(), o.out().strip());
    }
}
