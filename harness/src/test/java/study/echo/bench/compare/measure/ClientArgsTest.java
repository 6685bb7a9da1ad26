package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import study.echo.bench.compare.plan.CompareConfig;
import study.echo.bench.compare.plan.CompareOptionsTest;
import study.echo.bench.compare.plan.Plan;
import study.echo.bench.compare.plan.Point;

/** What the comparison asks of the load client at an open-loop point. */
class ClientArgsTest {
    private static final Path F = Path.of("/tmp/x");

    /** The value after {@code option} in the client's arguments. */
    private static String after(List<String> args, String option) {
        return args.get(args.indexOf(option) + 1);
    }

    /**
     * A burst of N is sent with room for N outstanding per connection: a cap of 1 (every point before
     * this test) held three of every four sends of bursts:4 until the previous echo, so the "bursts" row
     * measured evenly paced request-response, not a burst.
     */
    @Test
    void aBurstPointLeavesRoomForTheWholeBurstAndTheOtherPatternsKeepOneInFlight() {
        CompareConfig config = CompareOptionsTest.config("--variants", "selector-1", "--connections", "100",
                "--sizes", "64", "--rates", "20000", "--idle-connections", "0", "--arrivals", "even,poisson,bursts:4");
        PointRunner runner = new PointRunner(null, null, config, null);
        for (Point p : Plan.of(config)) {
            if (p.mode() != Point.Mode.OPEN) continue;
            List<String> args = runner.clientArgs(p, "127.0.0.1:1", F, F, F, F, F);
            assertEquals(p.arrivals().label(), after(args, "--arrivals"));
            assertEquals(p.arrivals().label().equals("bursts:4") ? "4" : "1", after(args, "--max-in-flight"), args::toString);
        }
    }
}
