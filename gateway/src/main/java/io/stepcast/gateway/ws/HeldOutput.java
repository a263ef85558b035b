package io.stepcast.gateway.ws;

import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of one connection that wait for its channel to become writable again, and the callbacks
 * that wait for them to be gone.
 *
 * <p>Why: Netty accepts writes past the write-buffer high watermark and keeps them, flushed or not,
 * in front of anything written later. Frames held here instead are still ours: they can be handed to
 * the channel as it drains (pacing by writability) or dropped at once when the connection is closed
 * as a slow consumer, so its close frame does not wait behind them.
 *
 * <p>Created when a connection first has to hold a frame and dropped when it is empty again, so a
 * connection that keeps up costs no more than a null field. Threading: event loop of the connection
 * only; not thread-safe.
 */
final class HeldOutput {

    /** One held frame, as submitted to the {@link LoopOutbox}, and when it started waiting here. */
    record Held(Object frame, int size, ChannelFutureListener after, long atNanos) {}

    private final ArrayDeque<Held> frames = new ArrayDeque<>();
    /** Callbacks to run once nothing is held and the channel is writable (replay pacing). */
    private List<Runnable> waiters;

    void add(Held h) {
        frames.add(h);
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    Held poll() {
        return frames.poll();
    }

    /** When the oldest held frame started waiting; 0 when nothing is held. */
    long oldestNanos() {
        Held h = frames.peek();
        return h == null ? 0 : h.atNanos();
    }

    void await(Runnable waiter) {
        if (waiters == null) {
            waiters = new ArrayList<>(1);
        }
        waiters.add(waiter);
    }

    /** The callbacks waiting for this output to drain (the caller runs them). */
    List<Runnable> takeWaiters() {
        List<Runnable> w = waiters == null ? List.of() : waiters;
        waiters = null;
        return w;
    }

    /** Releases every held frame; returns their bytes. */
    long drop() {
        long bytes = 0;
        for (Held h; (h = frames.poll()) != null; ) {
            bytes += h.size();
            ReferenceCountUtil.release(h.frame());
        }
        return bytes;
    }
}
