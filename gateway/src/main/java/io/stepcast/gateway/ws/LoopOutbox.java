package io.stepcast.gateway.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import io.stepcast.gateway.budget.OutputBudget;
import io.stepcast.gateway.protocol.CloseCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

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
 * <p>Pacing: a frame is handed to its channel only while the channel is writable (below Netty's
 * write-buffer high watermark); the rest wait in the connection's {@link HeldOutput} and follow as
 * the client reads ({@link #release}, on writability changes). Once a connection closes as a slow
 * consumer its frames still queued here and those it holds are dropped, so its close frame goes right
 * behind what the channel already has and reaches a client that still reads.
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
    private record Entry(PacedOutput connection, Object frame, int size, ChannelFutureListener after) {}

    private final EventLoop loop;
    /** Every loop's frames, counted for the output budget ({@link WsOutputs#queuedTotal}). */
    private final LongAdder queued;

    private final Queue<Entry> queue = PlatformDependent.newMpscQueue();
    private final AtomicInteger wip = new AtomicInteger();
    /** Channels written in the current run; event loop only. */
    private final List<PacedOutput> touched = new ArrayList<>();

    LoopOutbox(EventLoop loop, LongAdder queued) {
        this.loop = loop;
        this.queued = queued;
    }

    /** Queues a frame for the connection's channel; callable from any thread. */
    void submit(PacedOutput connection, Object frame, int size, ChannelFutureListener after) {
        // at most what the frame can add to pending output: its charge, and the header entry Netty's
        // WebSocket encoder may add in the outbound buffer
        queued.add(size + OutputBudget.FRAME_OVERHEAD);
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
            for (PacedOutput c : touched) {
                c.flushScheduled = false;
                c.channel().flush();
            }
            touched.clear();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void write(Entry e) {
        if (deliver(e.connection(), e.frame(), e.size(), e.after())) {
            PacedOutput c = e.connection();
            if (!c.flushScheduled) {
                c.flushScheduled = true;
                touched.add(c);
            }
        }
    }

    /**
     * Writes the frame (not flushed), or holds it while the channel is not writable or earlier frames
     * are held. The close frame of a slow-consumer close drops the held frames and is written at once.
     *
     * @return true when the frame was written (the caller flushes)
     */
    private static boolean deliver(PacedOutput c, Object frame, int size, ChannelFutureListener after) {
        Channel ch = c.channel();
        if (!ch.isActive()) {
            c.dequeued(size);
            ReferenceCountUtil.release(frame);
            return false;
        }
        if (c.closeCode() == CloseCode.SLOW_CONSUMER) {
            // nothing more for a slow consumer but its close frame, right behind what the channel has
            if (after == null) {
                c.dequeued(size);
                ReferenceCountUtil.release(frame);
                return false;
            }
            dropHeld(c);
        } else {
            if (holds(c) && ch.isWritable()) {
                release(c);
            }
            if (holds(c) || !ch.isWritable()) {
                hold(c, new HeldOutput.Held(frame, size, after, System.nanoTime()));
                return false;
            }
        }
        c.dequeued(size);
        writeNow(ch, frame, after);
        return true;
    }

    private static boolean holds(PacedOutput c) {
        return c.held != null && !c.held.isEmpty();
    }

    private static void writeNow(Channel ch, Object frame, ChannelFutureListener after) {
        if (after == null) {
            ch.write(frame, ch.voidPromise());
        } else {
            ch.write(frame).addListener(after);
        }
    }

    private static void hold(PacedOutput c, HeldOutput.Held h) {
        if (c.held == null) {
            c.held = new HeldOutput();
        }
        if (c.held.isEmpty()) {
            c.heldSinceNanos = h.atNanos();
        }
        c.held.add(h);
    }

    /**
     * Event loop: hands the connection's held frames to its channel while it is writable, then runs
     * its readiness callbacks once nothing is held.
     */
    static void release(PacedOutput c) {
        HeldOutput held = c.held;
        if (held == null) {
            return;
        }
        Channel ch = c.channel();
        boolean wrote = false;
        while (!held.isEmpty() && ch.isWritable()) {
            HeldOutput.Held h = held.poll();
            c.dequeued(h.size());
            writeNow(ch, h.frame(), h.after());
            wrote = true;
        }
        c.heldSinceNanos = held.oldestNanos();
        if (wrote) {
            ch.flush();
        }
        if (held.isEmpty() && ch.isWritable()) {
            c.held = null;
            for (Runnable w : held.takeWaiters()) {
                w.run();
            }
        }
    }

    /** Event loop: runs {@code resume} now when nothing is held and the channel is writable, else on release. */
    static void whenReady(PacedOutput c, Runnable resume) {
        if (!holds(c) && c.channel().isWritable()) {
            resume.run();
            return;
        }
        if (c.held == null) {
            c.held = new HeldOutput();
        }
        c.held.await(resume);
    }

    private static void dropHeld(PacedOutput c) {
        if (c.held != null) {
            c.dequeued(c.held.drop());
            c.heldSinceNanos = 0;
        }
    }
}
