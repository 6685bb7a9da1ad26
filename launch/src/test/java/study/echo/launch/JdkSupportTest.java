package study.echo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static rules of which JDK reads which tuning property, with made-up release numbers. */
class JdkSupportTest {
    @TempDir
    Path tmp;

    private static Optional<String> on(int release, String... jvmOptions) {
        return JdkSupport.unsupported(List.of(jvmOptions), release);
    }

    @Test
    void thePollerModeIsOneOrTwoFromJdk22AndNotReadBefore() {
        assertEquals(Optional.empty(), on(25, "-Xmx1g", "-Djdk.pollerMode=1"));
        assertEquals(Optional.empty(), on(22, "-Djdk.pollerMode=2"));
        assertEquals(Optional.empty(), on(25, "-Djdk.pollerMode=vthread_pollers"));
        assertEquals(Optional.of("-Djdk.pollerMode=3: jdk.pollerMode takes 1 (SYSTEM_THREADS) or 2 (VTHREAD_POLLERS) on JDK 25"),
                on(25, "-Djdk.pollerMode=3"));
        String on21 = on(21, "-Djdk.pollerMode=1").orElseThrow();
        assertTrue(on21.contains("jdk.pollerMode is read by JDK 22 and later; JDK 21 ignores it"), on21);
    }

    @Test
    void directRegisterIsJdk21Only() {
        assertEquals(Optional.empty(), on(21, "-Djdk.useDirectRegister=true"));
        String on25 = on(25, "-Djdk.useDirectRegister=true").orElseThrow();
        assertTrue(on25.startsWith("-Djdk.useDirectRegister=true: jdk.useDirectRegister is read by JDK 21 only; JDK 25 ignores it"),
                on25);
        assertTrue(on(22, "-Djdk.useDirectRegister").isPresent());
        assertTrue(on(21, "-Djdk.useDirectRegister=yes").isPresent(), "a value Boolean.parseBoolean reads as false");
    }

    @Test
    void pollerCountsArePowersOfTwoAndParallelismIsInTheForkJoinPoolsRange() {
        for (String ok : List.of("-Djdk.readPollers=1", "-Djdk.readPollers=2", "-Djdk.writePollers=8",
                "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.parallelism=32767")) {
            assertEquals(Optional.empty(), on(21, ok), ok);
            assertEquals(Optional.empty(), on(25, ok), ok);
        }
        for (String bad : List.of("-Djdk.readPollers=3", "-Djdk.readPollers=0", "-Djdk.readPollers=-2", "-Djdk.readPollers=x",
                "-Djdk.virtualThreadScheduler.parallelism=0", "-Djdk.virtualThreadScheduler.parallelism=32768")) {
            assertTrue(on(25, bad).isPresent(), bad);
        }
    }

    @Test
    void aReleaseNewerThanTheSourcesReadIsJudgedOnlyByWhetherItReadsTheProperty() {
        assertEquals(Optional.empty(), on(JdkSupport.CHECKED_THROUGH + 1, "-Djdk.pollerMode=3"));
        assertTrue(on(JdkSupport.CHECKED_THROUGH + 1, "-Djdk.useDirectRegister=true").isPresent());
    }

    @Test
    void theFeatureReleaseComesFromTheJdksReleaseFile() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("jdk-21/bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nexit 1\n");
        Files.writeString(tmp.resolve("jdk-21/release"), "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"21.0.2\"\n");
        assertEquals(21, JdkSupport.featureRelease(java));
        assertEquals(8, JdkSupport.feature("1.8.0_402"));
        assertEquals(Runtime.version().feature(),
                JdkSupport.featureRelease(Path.of(System.getProperty("java.home"), "bin", "java")));
    }

    @Test
    void theTellingLineOfAServerLogIsItsInnermostCause() {
        assertEquals("java.lang.RuntimeException: Can't parse '3' as polling mode", VariantProbe.tellingLine(List.of(
                "java -Djdk.pollerMode=3 ...", "listening on 127.0.0.1:1", "WARNING: connection failed",
                "java.lang.ExceptionInInitializerError", "\tat sun.nio.ch.Poller.poll(Poller.java:1)",
                "Caused by: java.lang.RuntimeException: Can't parse '3' as polling mode", "\tat x.y(Z.java:2)")));
        assertEquals("java.lang.IllegalStateException: boom",
                VariantProbe.tellingLine(List.of("cmd", "listening on x:1", "java.lang.IllegalStateException: boom", "\tat a.b")));
        assertEquals("last words", VariantProbe.tellingLine(List.of("cmd", "listening on x:1", "last words", "")));
    }
}
