package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void oneLinePerIntervalAndTheNextSaysHowManyWereHeldBack() {
        LogThrottle throttle = new LogThrottle(1, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        assertEquals(0, throttle.tryAcquire(t0));
        for (int i = 0; i < 50; i++) {
            assertEquals(-1, throttle.tryAcquire(t0 + S / 2));
        }
        assertEquals(50, throttle.tryAcquire(t0 + S));
        assertEquals(-1, throttle.tryAcquire(t0 + S + 1));
        assertEquals(1, throttle.tryAcquire(t0 + 5 * S));
    }
}
