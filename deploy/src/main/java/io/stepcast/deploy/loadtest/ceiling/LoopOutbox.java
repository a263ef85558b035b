package io.stepcast.deploy.loadtest.ceiling;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One event loop's pending frames: the publishing thread enqueues (channels, pre-encoded frame) and
 * schedules at most one drain task; the drain writes every queued frame to its channels without
 * flushing, then flushes each touched channel once. Events that arrive while a drain is pending
 * share its flushes (one {@code writev} per channel for a whole batch).
 *
 * <p>Threading: {@link #offer} from any thread; the drain runs on {@link #loop} only.
 */
final class LoopOutbox {

    private record Item(Set<Channel> channels, ByteBuf frame) {}

    private final EventLoop loop;
    private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    LoopOutbox(EventLoop loop) {
        this.loop = loop;
    }

    /** Takes ownership of one reference of {@code frame}. */
    void offer(Set<Channel> channels, ByteBuf frame) {
        queue.add(new Item(channels, frame));
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    private void drain() {
        scheduled.set(false); // before polling: an offer racing with this drain schedules another
        Set<Set<Channel>> touched = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Set<Channel>> order = new ArrayList<>(2);
        Item item;
        while ((item = queue.poll()) != null) {
            try {
                for (Channel ch : item.channels()) {
                    // no slow-consumer policy: a client that falls behind is buffered for, never
                    // skipped (skipping would make the ceiling lossy and flatter it)
                    ch.write(item.frame().retainedDuplicate(), ch.voidPromise());
                }
            } finally {
                item.frame().release();
            }
            if (touched.add(item.channels())) {
                order.add(item.channels());
            }
        }
        for (Set<Channel> channels : order) {
            for (Channel ch : channels) {
                ch.flush();
            }
        }
    }
}
