package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** More client threads are advised only when the machine has cores to spare. */
class SaturationAdviceTest {

    @Test
    void aClientThatWasNotSaturatedGetsNoAdvice() {
        assertNull(SaturationAdvice.advice(89.9, 1, 8, 6.0));
    }

    @Test
    void idleCoresOnABiggerMachineAdviseMoreThreads() {
        String advice = SaturationAdvice.advice(97, 1, 8, 4.5);
        assertTrue(advice.contains("try more --client-threads"), advice);
        assertTrue(advice.contains("4.5 of the 8 cores were idle"), advice);
    }

    @Test
    void sharedCoresSayTheFigureIsALowerBound() {
        // Two cores, server and client each on one, nearly nothing idle: what issue 14 measured.
        String advice = SaturationAdvice.advice(98, 1, 2, 0.1);
        assertFalse(advice.contains("try more"), advice);
        assertTrue(advice.contains("client and server share the 2 cores, 0.1 idle"), advice);
        assertTrue(advice.contains("lower bound on the server"), advice);
    }

    @Test
    void noAdviceForMoreThreadsThanCoresOrWhenIdleIsUnknown() {
        assertFalse(SaturationAdvice.advice(95, 2, 2, 1.5).contains("try more"));
        String unknown = SaturationAdvice.advice(95, 1, 8, Double.NaN);
        assertFalse(unknown.contains("try more"), unknown);
        assertTrue(unknown.contains("share the 8 cores:"), unknown);
    }
}
