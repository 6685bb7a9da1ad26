package study.echo.bench.compare.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import study.echo.common.BadOptionException;

/** {@code --jdk}: what a path must hold, and the labels that name its variants. */
@Timeout(60)
class JdkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Path HOME = Path.of(System.getProperty("java.home"));
    private static final int FEATURE = Runtime.version().feature();

    @TempDir
    Path tmp;

    @Test
    void twoPathsToTheSameJdkGetDistinctLabelsTheSameEveryTime() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("same-jdk"), HOME);
        List<String> specs = List.of(HOME.toString(), link.toString());
        List<Jdk> jdks = Jdk.of(specs, TIMEOUT);
        assertEquals(List.of("jdk" + FEATURE, "jdk" + FEATURE + "-2"), jdks.stream().map(Jdk::label).toList());
        assertEquals(link.resolve("bin").resolve("java"), jdks.get(1).java(), "the path as given, not where it leads");
        assertEquals(jdks, Jdk.of(specs, TIMEOUT), "the same option, the same names: --resume finds its points");
        String version = Jdk.releaseFile(HOME.resolve("release")).get("JAVA_RUNTIME_VERSION");
        assertEquals(FEATURE + " (" + version + ")", jdks.get(0).text());
        assertEquals(Jdk.current().text(), jdks.get(0).text(), "the release file says what the JDK itself says");
    }

    @Test
    void aLabelGivenIsKeptAndBinJavaNamesItsHome() {
        List<Jdk> jdks = Jdk.of(List.of("new=" + HOME, HOME.resolve("bin").resolve("java").toString()), TIMEOUT);
        assertEquals(List.of("new", "jdk" + FEATURE), jdks.stream().map(Jdk::label).toList());
        assertEquals(HOME, jdks.get(1).home());
        assertEquals(HOME.resolve("bin").resolve("java"), jdks.get(1).java());
        BadOptionException twice = assertThrows(BadOptionException.class,
                () -> Jdk.of(List.of("a=" + HOME, "a=" + HOME), TIMEOUT));
        assertTrue(twice.getMessage().contains("--jdk label 'a' is given twice"), twice.getMessage());
    }

    @Test
    void aJdkOlderThan21IsOneLineNamingThePathAndWhatWasFound() throws Exception {
        Path old = Files.createDirectories(tmp.resolve("jdk-17"));
        Files.writeString(old.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"17.0.2\"\n");
        BadOptionException e = assertThrows(BadOptionException.class, () -> Jdk.of(List.of(old.toString()), TIMEOUT));
        assertEquals("--jdk " + old + ": JDK 17 (JAVA_VERSION=\"17.0.2\" in its release file); the study needs JDK 21 or newer",
                e.getMessage());
        assertFalse(e.showUsage(), "one line, not the usage after it");
        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"1.8.0_402\"\n");
        assertTrue(assertThrows(BadOptionException.class, () -> Jdk.of(List.of(old.toString()), TIMEOUT))
                .getMessage().contains("JDK 8 "));
    }

    @Test
    void aPathWithNoJavaOrNothingAtAllIsRefused() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("release"), "JAVA_VERSION=\"25\"\n");
        BadOptionException e = assertThrows(BadOptionException.class, () -> Jdk.of(List.of(empty.toString()), TIMEOUT));
        assertEquals("--jdk " + empty + ": no runnable java at " + empty.resolve("bin/java"), e.getMessage());
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        assertEquals("--jdk " + bare + ": no runnable java at " + bare.resolve("bin/java"),
                assertThrows(BadOptionException.class, () -> Jdk.of(List.of(bare.toString()), TIMEOUT)).getMessage());
        Path none = tmp.resolve("nowhere");
        assertEquals("--jdk " + none + ": no such file or directory",
                assertThrows(BadOptionException.class, () -> Jdk.of(List.of(none.toString()), TIMEOUT)).getMessage());
    }

    @Test
    void aHomeWithoutAReleaseFileIsAskedThroughJavaVersion() throws Exception {
        Path fake = fakeJava("fake-22", "openjdk version \"22.0.1\" 2024-04-16\n"
                + "OpenJDK Runtime Environment (build 22.0.1+8-16)\n", 0);
        Jdk jdk = Jdk.of(List.of(fake.toString()), TIMEOUT).get(0);
        assertEquals(22, jdk.feature());
        assertEquals("22 (22.0.1+8-16)", jdk.text());
        assertEquals("jdk22", jdk.label());

        Path old = fakeJava("fake-17", "openjdk version \"17.0.9\" 2023-10-17\n", 0);
        assertTrue(assertThrows(BadOptionException.class, () -> Jdk.of(List.of(old.toString()), TIMEOUT))
                .getMessage().contains(": JDK 17 ("), "the release java -version gives is checked too");
        Path broken = fakeJava("broken", "Error: could not find libjvm.so\n", 1);
        assertEquals("--jdk " + broken + ": " + broken.resolve("bin/java") + " -version exited 1: Error: could not find libjvm.so",
                assertThrows(BadOptionException.class, () -> Jdk.of(List.of(broken.toString()), TIMEOUT)).getMessage());
    }

    /** A JDK home without a release file whose java prints {@code output} on stderr, as java -version does. */
    private Path fakeJava(String name, String output, int exit) throws Exception {
        Path home = tmp.resolve(name);
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\ncat >&2 <<'END'\n" + output + "END\nexit " + exit + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
