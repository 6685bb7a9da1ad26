package study.echo.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import study.echo.common.BadOptionException;
import study.echo.common.Cli;
import study.echo.common.work.RequestWork;
import study.echo.common.work.WorkSpec;

class OffloadOptionTest {
    @Test
    void parsesWhatItPrints() {
        for (String text : new String[] {"none", "platform:1", "platform:256", "platform:" + Offload.MAX_THREADS, "virtual"}) {
            assertEquals(text, Offload.parse(text).toString());
        }
        assertEquals(new Offload(Offload.Kind.PLATFORM, 4), Offload.parse("platform:4"));
        assertTrue(Offload.parse("none").isNone());
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform:0", "platform:-1", "platform:10001", "platform:", "platform:x", "platform",
            "virtual:4", "Virtual", "threads", ""})
    void aBadValueIsOneLineAndExitCode2(String bad) {
        assertThrows(BadOptionException.class, () -> Offload.parse(bad));
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new SelectorServerCommand()).setErr(new PrintWriter(err));
        assertEquals(Cli.EXIT_USAGE, cl.execute("--port", "0", "--offload", bad));
        String first = err.toString().lines().findFirst().orElse("");
        assertTrue(first.startsWith("selector: --offload '" + bad + "'") || first.startsWith("selector: --offload platform:N"), err.toString());
        assertFalse(err.toString().contains("Exception"), "no stack trace: " + err);
    }

    @Test
    void anOffloadWithoutRequestsIsRefused() {
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new SelectorServerCommand()).setErr(new PrintWriter(err));
        assertEquals(Cli.EXIT_USAGE, cl.execute("--port", "0", "--offload", "virtual"));
        assertTrue(err.toString().startsWith("selector: --offload virtual needs requests to hand off: give --request-size BYTES"), err.toString());
    }

    @Test
    void aWaitOnTheLoopIsWarnedOfInOneLineAndOnlyThen() {
        RequestWork waits = new RequestWork(64, WorkSpec.parse("cpu:1us+wait:1ms"), 1);
        assertEquals(1, warnings(waits, Offload.NONE).lines().count(), warnings(waits, Offload.NONE));
        assertTrue(warnings(waits, Offload.NONE).contains("blocks the event loop"));
        assertEquals("", warnings(waits, Offload.parse("platform:2")));
        assertEquals("", warnings(waits, Offload.parse("virtual")));
        assertEquals("", warnings(new RequestWork(64, WorkSpec.parse("cpu:1us"), 1), Offload.NONE));
    }

    @Test
    void thePoolHasTheThreadsAsked() throws Exception {
        ExecutorService pool = Offload.parse("platform:3").newExecutor();
        try {
            assertEquals(3, ((java.util.concurrent.ThreadPoolExecutor) pool).getMaximumPoolSize());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertThrows(IllegalStateException.class, Offload.NONE::newExecutor);
    }

    private static String warnings(RequestWork work, Offload offload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SelectorServerCommand.warnIfTheLoopWaits(work, offload, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
