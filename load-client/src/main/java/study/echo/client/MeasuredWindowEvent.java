package study.echo.client;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The measured window as one I/O thread saw it, for a flight recording: it begins when the window
 * opens on the thread and is committed when it closes, so that a JFR reader ({@link JfrWindowCheck})
 * can tell what happened inside the window (a deoptimisation, an allocation) from what happened in the
 * warm-up. Without a recording running, begin and commit cost a check each, once per run.
 */
@Name(MeasuredWindowEvent.NAME)
@Label("Measured window")
@Category({"Echo study", "Load client"})
@Description("The load client's measured window on one I/O thread, from its opening to its close")
@StackTrace(false)
final class MeasuredWindowEvent extends Event {
    static final String NAME = "study.echo.client.MeasuredWindow";

    @Label("Allocated")
    @Description("Bytes the I/O thread allocated inside the window (ThreadMXBean, exact, not sampled)")
    @DataAmount
    long allocatedBytes;
}
