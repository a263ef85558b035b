package io.stepcast.gateway.ws;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets at most one log line per interval through and counts the ones it held back, so a flood of
 * bad requests costs one short line per interval instead of one per request.
 *
 * <p>Thread-safe and lock-free (event loops of every connection share one).
 */
final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong nextAllowedNanos;
    private final AtomicLong suppressed = new AtomicLong();

    LogThrottle(long interval, TimeUnit unit) {
        this.intervalNanos = unit.toNanos(interval);
        this.nextAllowedNanos = new AtomicLong(System.nanoTime());
    }

    /**
     * Returns -1 when the caller must not log now (the line is counted), otherwise the number of
     * lines held back since the last one that was let through (to be logged with it).
     */
    long tryAcquire(long nowNanos) {
        long next = nextAllowedNanos.get();
        if (nowNanos - next < 0 || !nextAllowedNanos.compareAndSet(next, nowNanos + intervalNanos)) {
            suppressed.incrementAndGet();
            return -1;
        }
        return suppressed.getAndSet(0);
    }
}
