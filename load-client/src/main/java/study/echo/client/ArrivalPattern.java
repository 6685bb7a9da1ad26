package study.echo.client;

import java.util.Locale;
import study.echo.common.BadOptionException;

/**
 * The shape of an open loop's sends, as given on the command line and checked: {@code even} (evenly
 * spaced), {@code poisson} (exponential gaps with the same mean rate) or {@code bursts:N} (N messages
 * back to back per connection at each of its ticks). Public so that the comparison checks its
 * {@code --arrivals} list with the same rule and spells each pattern as the client does.
 *
 * @param burst messages per tick, 1 or more; 1 unless {@code kind} is BURSTS
 */
public record ArrivalPattern(Kind kind, int burst) {
    public enum Kind { EVEN, POISSON, BURSTS }

    /** Today's schedule and the default: every connection's sends evenly spaced. */
    public static final ArrivalPattern EVEN = new ArrivalPattern(Kind.EVEN, 1);

    public ArrivalPattern {
        if (burst < 1) {
            throw new BadOptionException("--arrivals bursts:N needs N of at least 1, got " + burst);
        }
    }

    public static ArrivalPattern parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("even")) {
            return EVEN;
        }
        if (t.equals("poisson")) {
            return new ArrivalPattern(Kind.POISSON, 1);
        }
        if (t.startsWith("bursts:")) {
            try {
                return new ArrivalPattern(Kind.BURSTS, Integer.parseInt(t.substring("bursts:".length())));
            } catch (NumberFormatException e) {
                // Falls through to the one line below.
            }
        }
        throw new BadOptionException("--arrivals must be even, poisson or bursts:N, got '" + text + "'");
    }

    /**
     * The least {@code --max-in-flight} that lets this pattern's ticks leave as sent: a burst of N held to
     * fewer outstanding messages would go out one echo at a time, which is no burst on the wire.
     */
    public int inFlightNeeded() {
        return burst;
    }

    /** The spelling {@link #parse} reads back: {@code even}, {@code poisson}, {@code bursts:4}. */
    public String label() {
        return kind == Kind.BURSTS ? "bursts:" + burst : kind.name().toLowerCase(Locale.ROOT);
    }
}
