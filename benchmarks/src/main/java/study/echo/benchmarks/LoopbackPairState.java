package study.echo.benchmarks;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A {@link LoopbackPair} per benchmark thread, open for the whole trial. */
@State(Scope.Thread)
public class LoopbackPairState {
    LoopbackPair pair;

    @Setup(Level.Trial)
    public void open() throws IOException {
        pair = LoopbackPair.open();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        pair.close();
    }
}
