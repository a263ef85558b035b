package io.stepcast.gateway.http;

import io.micronaut.http.sse.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The items one {@link SseOutbox} holds while its downstream has no demand, in order, with their byte
 * count (each item's data plus {@link SseOutbox#ITEM_OVERHEAD}), and the replay-pacing callbacks
 * waiting for that count to fall below {@link SseOutbox#READY_BYTES}.
 *
 * <p>Threading: guarded by the outbox's lock, except {@link #bytesHint()}, a lock-free read of the
 * count as of the last change. Invariant: {@link #bytes()} is the charge of the queued items; a
 * cleared holder has neither items nor waiters.
 */
final class PendingEvents {

    private final ArrayDeque<Event<byte[]>> queue = new ArrayDeque<>();
    private long bytes;
    /** {@link #bytes} for lock-free reads; written under the outbox's lock. */
    private volatile long hint;
    /** Callbacks waiting for the count to fall below {@link SseOutbox#READY_BYTES}, or null. */
    private List<Runnable> waiters;

    /** Queues the item; returns the new byte count. */
    long add(Event<byte[]> item) {
        queue.add(item);
        bytes += item.getData().length + SseOutbox.ITEM_OVERHEAD;
        hint = bytes;
        return bytes;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    /** The byte count as of the last change; any thread, lock-free. */
    long bytesHint() {
        return hint;
    }

    /** Takes the oldest item; only when not empty. */
    Event<byte[]> poll() {
        Event<byte[]> next = queue.poll();
        bytes -= next.getData().length + SseOutbox.ITEM_OVERHEAD;
        hint = bytes;
        return next;
    }

    /** Adds a callback to run once the count is below {@link SseOutbox#READY_BYTES}. */
    void await(Runnable resume) {
        if (waiters == null) {
            waiters = new ArrayList<>(1);
        }
        waiters.add(resume);
    }

    /** The waiting callbacks, handed over (the caller runs them) when the count is below the mark; else null. */
    List<Runnable> takeWaitersBelow(long mark) {
        if (waiters == null || bytes >= mark) {
            return null;
        }
        List<Runnable> w = waiters;
        waiters = null;
        return w;
    }

    /** Drops every item and waiter. */
    void clear() {
        queue.clear();
        bytes = 0;
        hint = 0;
        waiters = null;
    }
}
