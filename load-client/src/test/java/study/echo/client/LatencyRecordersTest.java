package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyRecordersTest {

    /** Records as an I/O thread does, in batches of {@code batch} values, until told to stop. */
    private static Thread writer(LatencyRecorders recorders, AtomicBoolean stop, int batch) {
        return Thread.ofPlatform().start(() -> {
            for (long i = 0; !stop.get(); i++) {
                recorders.record(1_000 + (i & 1023), 1_000 + (i & 1023));
                if (i % batch == batch - 1) {
                    recorders.endBatch();
                }
            }
            recorders.endBatch();
        });
    }

    @Test
    void latencyAndServiceTimeOfAMessageAlwaysLandInTheSameInterval() throws Exception {
        LatencyRecorders recorders = new LatencyRecorders(false);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = writer(recorders, stop, 7);
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
        assertTrue(latencyTotal.getTotalCount() > 0);
    }

    @Test
    void aSwapTakesEveryValueOfAClosedBatchAndNoneTwice() throws Exception {
        LatencyRecorders recorders = new LatencyRecorders(false);
        Histogram latency = new Histogram(3);
        Histogram service = new Histogram(3);
        recorders.record(1_000, 2_000);
        recorders.record(3_000, 4_000);
        recorders.endBatch();
        recorders.drainInto(latency, service);
        assertEquals(2, latency.getTotalCount());
        assertEquals(1_000, latency.getMinValue(), 1);
        assertEquals(4_000, service.getMaxValue(), 4);
        recorders.record(5_000, 6_000);
        recorders.endBatch();
        recorders.drainInto(latency, service);
        assertEquals(3, latency.getTotalCount(), "the second swap adds only the third value");
        assertEquals(3, service.getTotalCount());
    }

    @Test
    void whenServiceIsLatencyTheLatencyHistogramIsHandedOutAsBoth() throws Exception {
        LatencyRecorders recorders = new LatencyRecorders(true);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = writer(recorders, stop, 32);
        Thread.sleep(50);
        stop.set(true);
        writer.join(TimeUnit.SECONDS.toMillis(10));
        Histogram latency = new Histogram(3);
        Histogram service = new Histogram(3);
        recorders.drainInto(latency, service);
        assertTrue(latency.getTotalCount() > 0);
        assertEquals(latency, service);
    }

    /**
     * An auto-resizing histogram grows by catching an exception and copying its counts; on the I/O thread
     * that allocated per new tail. The I/O thread's histograms are as wide as an hour from the start.
     */
    @Test
    void aPresizedHistogramRecordsUpToAnHourWithoutAllocating() {
        Histogram h = LatencyRecorders.presized();
        h.recordValue(1);
        long before = AllocatedBytes.ofCurrentThread();
        for (long v = 10; v < LatencyRecorders.PRESIZED_RANGE_NANOS; v *= 10) {
            h.recordValue(v);
        }
        h.recordValue(LatencyRecorders.PRESIZED_RANGE_NANOS);
        long allocated = AllocatedBytes.ofCurrentThread() - before;
        assertTrue(allocated < 1024, () -> "recording allocated " + allocated + " bytes");
        assertEquals(14, h.getTotalCount());
        assertEquals(LatencyRecorders.PRESIZED_RANGE_NANOS, h.getMaxValue(), LatencyRecorders.PRESIZED_RANGE_NANOS / 1000);
    }
}
