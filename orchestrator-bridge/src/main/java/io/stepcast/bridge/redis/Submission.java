package io.stepcast.bridge.redis;

import io.stepcast.bridge.PublishResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code publish}/{@code publishBatch} call travelling through a plan's lane. Its events are
 * always sent in the same script call (never split). {@link #settle()} guards the one-time release of
 * its share of the retry buffer.
 */
final class Submission {

    final List<EncodedEvent> events;
    final CompletableFuture<List<PublishResult>> future = new CompletableFuture<>();
    final long bytes;
    /** Set once a script call carrying this submission has been sent (its outcome may be unknown). */
    volatile boolean sent;

    private final AtomicBoolean settled = new AtomicBoolean();

    Submission(List<EncodedEvent> events) {
        this.events = List.copyOf(events);
        long b = 0;
        for (EncodedEvent e : events) {
            b += e.weight();
        }
        this.bytes = b;
    }

    /** True exactly once: the caller then releases the buffer and completes the future. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }
}
