package io.stepcast.deploy.loadtest.publish;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The part every {@link EventSource} shares whose publishes complete asynchronously on a Redis
 * client's thread: how many are in flight, how many failed, and waiting until none is in flight.
 *
 * <p>Threading: {@link #started()} is called on the pacing thread before a publish is handed to the
 * client, {@link #failed} and then {@link #finished()} once from its completion callback; both
 * counters are atomic, and the completion that brings the in-flight count to zero wakes the waiters
 * of {@link #awaitPublished}. Only the first {@value #LOGGED_FAILURES} failures are printed.
 */
abstract class AsyncEventSource implements EventSource {

    private static final int LOGGED_FAILURES = 5;

    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Object idle = new Object();

    /** A publish was handed to the Redis client. */
    protected final void started() {
        pending.incrementAndGet();
    }

    /** The publish failed or got another seq than predicted; {@code why} is printed for the first few. */
    protected final void failed(Supplier<String> why) {
        if (failures.incrementAndGet() <= LOGGED_FAILURES) {
            System.out.println("[loadtest] " + why.get());
        }
    }

    /** A publish completed, whether or not it failed. */
    protected final void finished() {
        if (pending.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    @Override
    public final boolean awaitPublished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    @Override
    public final long failures() {
        return failures.get();
    }
}
