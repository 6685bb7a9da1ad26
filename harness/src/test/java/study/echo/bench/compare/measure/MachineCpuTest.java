package study.echo.bench.compare.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import study.echo.bench.compare.results.MachineNoise;

class MachineCpuTest {
    @Test
    void busyIsUserNiceSystemIrqAndSoftirqAndStealIsKeptApart() throws IOException {
        // user nice system idle iowait irq softirq steal guest guest_nice
        MachineCpu cpu = MachineCpu.parse(List.of("cpu  5603 7 2375 60263 442 3 40 44 0 0", "cpu0 1 2 3 4 5 6 7 8 9 10"));
        assertEquals(5603 + 7 + 2375 + 3 + 40, cpu.busyTicks());
        assertEquals(44, cpu.stealTicks());
        MachineCpu later = new MachineCpu(cpu.busyTicks() + 150, cpu.stealTicks() + 20);
        assertEquals(1.5, later.busySecondsSince(cpu), 1e-9);
        assertEquals(0.2, later.stealSecondsSince(cpu), 1e-9);
    }

    @Test
    void aFileWithoutTheAggregateLineIsAnError() {
        assertThrows(IOException.class, () -> MachineCpu.parse(List.of("cpu0 1 2 3 4 5 6 7 8")));
        assertThrows(IOException.class, () -> MachineCpu.parse(List.of("cpu  1 2 3")));
    }

    @Test
    void theLiveFileReads() throws IOException {
        MachineCpu now = MachineCpu.read();
        assertEquals(true, now.busyTicks() > 0, "a running machine has been busy: " + now);
    }

    @Test
    void aPointIsDisturbedWhenOthersOrTheHypervisorTookMoreThanATenthOfACore() {
        assertEquals(Boolean.FALSE, new MachineNoise(9.9, 0.0).disturbed());
        assertEquals(Boolean.TRUE, new MachineNoise(10.1, 0.0).disturbed());
        assertEquals(Boolean.TRUE, new MachineNoise(0.0, 12.0).disturbed());
        assertEquals(null, MachineNoise.NONE.disturbed());
    }
}
