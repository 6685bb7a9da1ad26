package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import study.echo.common.Cli;

/** {@code tools/park-lag} with tiny counts: its rows, its bounds and its refusals. No timing is judged. */
class ParkLagTest {

    record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = Cli.commandLine(new ParkLag());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void oneRowPerMethodAndWaitWithTheSamplesAsked() {
        Run r = run("--samples", "5", "--durations", "10us,1ms", "--max-time", "20s");
        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(ParkLag.HEADER, lines.get(0));
        // select's timeout is whole milliseconds: 10us and 1ms are the same select(1), measured once.
        assertEquals(List.of("park,10", "park,1000", "select,1000", "spin,10", "spin,1000"),
                lines.stream().skip(1).map(l -> l.split(",")[0] + "," + l.split(",")[1]).toList(), r::toString);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals("5", f[2], () -> "samples: " + line);
            assertEquals("false", f[8], line);
            for (int i = 3; i <= 6; i++) {
                assertTrue(Double.parseDouble(f[i]) >= 0, line);
            }
        }
        String spin = lines.get(4);
        assertEquals("0", spin.split(",")[7], () -> "a spin cannot return before its end: " + spin);
        assertTrue(r.err().contains("timer slack"), r::toString);
    }

    @Test
    void theBusySpinnerRunsOnlyWhileMeasuring() throws Exception {
        Run r = run("--samples", "3", "--durations", "50us", "--methods", "park", "--keep-other-core-busy",
                "--spinner-threads", "2");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().lines().skip(1).allMatch(l -> l.endsWith(",true")), r::toString);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (spinnerAlive() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertFalse(spinnerAlive(), "the spinner thread stopped after the measurement");
    }

    @Test
    void maxTimeCutsARowShort() {
        long start = System.nanoTime();
        Run r = run("--samples", "1000000", "--durations", "1ms", "--methods", "park", "--max-time", "300ms");
        assertEquals(0, r.exitCode(), r::toString);
        long samples = Long.parseLong(r.out().lines().skip(1).findFirst().orElseThrow().split(",")[2]);
        assertTrue(samples > 0 && samples < 1_000_000, () -> "samples within 300 ms: " + samples);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "bounded in time");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "--samples 0            | --samples must be between 1 and",
        "--durations 0us        | --durations: each must be between 1us and 100ms",
        "--durations 200ms      | --durations: each must be between 1us and 100ms",
        "--methods nap          | Invalid value for option '--methods'",
        "--max-time 0s          | --max-time must be at least 1ms",
        "--spinner-threads 0    | --spinner-threads must be between 1 and",
        "--durations soon       | 'soon' is not a duration",
    })
    void badOptionsGetOneLineAndExit2(String args, String expected) {
        Run r = run(args.trim().split("\\s+"));
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().lines().findFirst().orElse("").contains(expected), r::toString);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
    }

    private static boolean spinnerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("park-lag-spinner") && t.isAlive());
    }
}
