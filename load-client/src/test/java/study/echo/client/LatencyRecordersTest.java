package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyRecordersTest {

    @Test
    void latencyAndServiceTimeOfAMessageAlwaysLandInTheSameInterval() throws Exception {
        LatencyRecorders recorders = new LatencyRecorders();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (long i = 0; !stop.get(); i++) {
                recorders.record(1_000 + (i & 1023), 1_000 + (i & 1023));
            }
        });
        Histogram latencyTotal = new Histogram(3);
        Histogram serviceTotal = new Histogram(3);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        int intervals = 0;
        while (System.nanoTime() < deadline) {
            Histogram latency = new Histogram(3);
            Histogram service = new Histogram(3);
            recorders.drainInto(latency, service);
            assertEquals(latency, service, "interval " + intervals);
            latencyTotal.add(latency);
            serviceTotal.add(service);
            intervals++;
        }
        stop.set(true);
        writer.join(TimeUnit.SECONDS.toMillis(10));
        recorders.drainInto(latencyTotal, serviceTotal);
        assertEquals(latencyTotal.getTotalCount(), serviceTotal.getTotalCount());
        assertEquals(true, latencyTotal.getTotalCount() > 0);
    }
}
