package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import study.echo.common.Cli;

/** The recording check: what it counts as the client's, and bad input (one line and exit 1, no stack trace). */
class JfrWindowCheckTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatIsNotARecordingIsRefusedInOneLine() throws Exception {
        Path notJfr = Files.writeString(dir.resolve("x.jfr"), "not a recording");
        assertOneLineRefusal(run(notJfr.toString()), "cannot read the recording");
    }

    @Test
    void aRecordingWithoutAMeasuredWindowIsRefusedInOneLine() throws Exception {
        Path jfr = dir.resolve("empty.jfr");
        try (Recording r = new Recording()) {
            r.start();
            r.stop();
            r.dump(jfr);
        }
        assertOneLineRefusal(run(jfr.toString()), "holds no measured window");
    }

    @Test
    void aMissingClientResultIsRefusedInOneLine() throws Exception {
        Path jfr = dir.resolve("window.jfr");
        try (Recording r = new Recording()) {
            r.enable(MeasuredWindowEvent.class);
            r.start();
            MeasuredWindowEvent e = new MeasuredWindowEvent();
            e.begin();
            e.commit();
            r.stop();
            r.dump(jfr);
        }
        assertOneLineRefusal(run(jfr.toString(), "--client-json", dir.resolve("none.json").toString()),
                "cannot read the client's --json result");
    }

    @Test
    void aDeoptimisationCountsWhenItIsOnAnIoThreadAndNotInTheRecordingsOwnCode() {
        assertTrue(JfrWindowCheck.costsTheClient("client-io-0", "study.echo.client.OpenLoop", "reinterpret", false));
        assertTrue(JfrWindowCheck.costsTheClient("client-io-1", "org.HdrHistogram.AbstractHistogram", "none", false));
        assertTrue(JfrWindowCheck.costsTheClient("client-io-0", "java.nio.channels.spi.AbstractSelector",
                "maybe_recompile", false));
        assertTrue(JfrWindowCheck.costsTheClient("client-io-0", null, "reinterpret", false),
                "an unknown method on an I/O thread counts");
        // A clean-clone CI run failed on this one: JFR committing an event on the I/O thread.
        assertFalse(JfrWindowCheck.costsTheClient("client-io-0", "jdk.jfr.internal.event.EventWriter", "reinterpret",
                true));
        assertFalse(JfrWindowCheck.costsTheClient("JFR Periodic Tasks", "jdk.jfr.internal.event.EventWriter",
                "reinterpret", false));
        assertFalse(JfrWindowCheck.costsTheClient("main", "study.echo.client.OpenLoop", "reinterpret", false));
    }

    /** Before the opening, only a trap that throws the compiled code away is the opening's doing. */
    @Test
    void beforeTheOpeningOnlyATrapThatDiscardsCompiledCodeCounts() {
        assertTrue(JfrWindowCheck.costsTheClient("client-io-0", "study.echo.client.OpenLoop", "reinterpret", true));
        assertTrue(JfrWindowCheck.costsTheClient("client-io-0", "study.echo.client.IoLoop", "make_not_entrant", true));
        // Another clean-clone CI run failed on this one, 3.95 ms before the opening.
        assertFalse(JfrWindowCheck.costsTheClient("client-io-0", "jdk.internal.misc.Unsafe", "maybe_recompile", true));
        assertFalse(JfrWindowCheck.costsTheClient("client-io-0", "study.echo.client.LagCauses", "none", true));
        assertTrue(JfrWindowCheck.costsTheClient("client-io-0", "jdk.internal.misc.Unsafe", "maybe_recompile", false),
                "inside the window it counts");
    }

    private static void assertOneLineRefusal(String[] exitAndErr, String reason) {
        assertEquals("1", exitAndErr[0], exitAndErr[1]);
        assertTrue(exitAndErr[1].contains(reason), exitAndErr[1]);
        assertEquals(1, exitAndErr[1].strip().lines().count(), exitAndErr[1]);
        assertFalse(exitAndErr[1].contains("Exception"), exitAndErr[1]);
    }

    private static String[] run(String... args) {
        CommandLine cl = Cli.commandLine(new JfrWindowCheck());
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        return new String[] {Integer.toString(cl.execute(args)), err.toString()};
    }
}
