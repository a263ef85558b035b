package io.stepcast.bridge.redis;

import java.time.Duration;

/**
 * The bound of the retry buffer: events (and their bytes) accepted by the publisher and not yet
 * settled (acknowledged by Redis or failed). Thread-safe; all methods are short critical sections.
 */
final class PendingBudget {

    private final long maxEvents;
    private final long maxBytes;
    /** Invariant: 0 <= events <= maxEvents and 0 <= bytes, guarded by this. */
    private long events;

    private long bytes;

    PendingBudget(long maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /**
     * Reserves room, or returns false when the buffer is full. A single submission larger than the
     * byte bound is still accepted when nothing else is pending, so that it can make progress.
     */
    synchronized boolean tryReserve(int n, long b) {
        if (n > maxEvents || events > 0 && (events + n > maxEvents || bytes + b > maxBytes)) {
            return false;
        }
        events += n;
        bytes += b;
        return true;
    }

    synchronized void release(int n, long b) {
        events -= n;
        bytes -= b;
        if (events == 0) {
            notifyAll();
        }
    }

    synchronized long events() {
        return events;
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Waits until nothing is pending or the timeout passes; true when drained. */
    synchronized boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    String describe() {
        return events() + " events / " + bytes() + " bytes pending (capacity " + maxEvents + " events / " + maxBytes
                + " bytes)";
    }
}
