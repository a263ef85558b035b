package io.stepcast.gateway.ws;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outbound queue of one event loop, shared by every connection on that loop.
 *
 * <p>Why: a plan's fan-out runs on the Redis pub/sub thread. Writing each frame to each channel from
 * there costs one cross-thread task, one promise and one flush per session per event. Through the
 * outbox it costs one queue entry per session and one task per event loop per burst: the loop writes
 * every pending frame with a void promise, then flushes each touched channel once.
 *
 * <p>Ordering: every frame a connection sends (events, control frames, the close frame) goes
 * through its loop's outbox, which is FIFO, so a connection's frames leave in the order they were
 * submitted, whatever the submitting thread. Data frames use the channel's void promise: a failed
 * write is reported to the pipeline's {@code exceptionCaught} instead of a per-write listener (a
 * failed socket write closes the channel in Netty itself).
 *
 * <p>Memory: entries not yet written are counted by each connection ({@code queuedBytes}, which
 * includes the frames it holds while its channel is not writable) and bounded by its slow-consumer
 * check.
 */
final class LoopOutbox implements Runnable {

    /**
     * One frame to write: a {@code WebSocketFrame}, or a {@code ByteBuf} holding a complete
     * pre-encoded frame; {@code after} (nullable) runs when the write completes.
     */
    private record Entry(WsConnection connection, Object frame, int size, ChannelFutureListener after) {
    }

    private final EventLoop loop;
    private final Queue<Entry> queue = PlatformDependent.newMpscQueue();
    private final AtomicInteger wip = new AtomicInteger();
    /** Channels written in the current run; event loop only. */
    private final List<WsConnection> touched = new ArrayList<>();

    LoopOutbox(EventLoop loop) {
        this.loop = loop;
    }

    /** Queues a frame for the connection's channel; callable from any thread. */
    void submit(WsConnection connection, Object frame, int size, ChannelFutureListener after) {
        queue.offer(new Entry(connection, frame, size, after));
        if (wip.getAndIncrement() == 0) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        int missed = 1;
        do {
            Entry e;
            while ((e = queue.poll()) != null) {
                write(e);
            }
            for (WsConnection c : touched) {
                c.flushScheduled = false;
                c.channel().flush();
            }
            touched.clear();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void write(Entry e) {
        WsConnection c = e.connection();
        if (!c.deliver(e.frame(), e.size(), e.after())) {
            return; // held until the channel is writable, or the channel is gone
        }
        if (!c.flushScheduled) {
            c.flushScheduled = true;
            touched.add(c);
        }
    }
}
