package io.stepcast.gateway.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.stepcast.gateway.budget.OutputBudget;
import io.stepcast.gateway.hub.SharedFrame;
import io.stepcast.gateway.protocol.CloseCode;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The outbound path of one WebSocket connection: every frame it sends, paced by the client's reading
 * and bounded by the slow-consumer limits. {@link WsConnection} is its only subclass; it is a base
 * class rather than a field so that a connection stays one object (there is one per client, so its
 * memory and the pointer chases on the fan-out path count).
 *
 * <p>Pacing: every frame goes through {@link #write} and the event loop's {@link LoopOutbox}. The
 * loop hands frames to the channel while it is writable (below Netty's write-buffer high watermark)
 * and holds the rest in a {@link HeldOutput} until the client has read enough. The connection is
 * closed with {@link CloseCode#SLOW_CONSUMER} when it does not keep up: its held output would pass
 * {@code stepcast.ws.max-pending-bytes}, or the oldest held frame has waited for longer than
 * {@code stepcast.ws.max-pending-time}. One large event never trips either (the byte bound leaves
 * room for several maximum-size events). On that close the held frames are dropped and the close
 * frame goes right behind what the channel already has, so a client that still reads learns why it
 * was closed. Memory: a connection holds at most {@code max-pending-bytes} plus the high watermark
 * plus one frame (event frames are shared by every recipient, so the same event held for many
 * connections is stored once).
 *
 * <p>Replay pacing: {@link #ready()} and {@link #whenReady} let the hub offer a resumed client's
 * backlog only as fast as the client reads it, instead of a whole log page at once.
 *
 * <p>Threading: {@link #write} runs on any thread (hub callbacks on Redis I/O threads, client
 * requests on the event loop); frames are queued to the event loop in call order, so a plan's frames
 * keep the hub's order. The counters are updated through atomic field updaters (flat state, no
 * wrapper objects); the fields marked as owned by {@link LoopOutbox} are touched on the event loop
 * only. Invariant: {@link #queuedBytes} is the charge of every frame submitted and not yet handed to
 * the channel or dropped, held frames included.
 */
abstract sealed class PacedOutput permits WsConnection {

    private static final byte[] PING_PAYLOAD = {'h', 'b'};
    /** Shared by every ping (never released; each frame gets a duplicate). */
    private static final ByteBuf PING =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(PING_PAYLOAD)).asReadOnly();

    private static final AtomicLongFieldUpdater<PacedOutput> FRAMES_OUT =
            AtomicLongFieldUpdater.newUpdater(PacedOutput.class, "framesOut");
    private static final AtomicLongFieldUpdater<PacedOutput> QUEUED_BYTES =
            AtomicLongFieldUpdater.newUpdater(PacedOutput.class, "queuedBytes");

    private final Channel channel;
    private final long maxPendingBytes;
    private final long maxPendingNanos;
    /** The event loop's shared outbound queue: every frame of this connection goes through it. */
    private final LoopOutbox outbox;
    /** Frames handed to the outbox; updated through {@link #FRAMES_OUT}. */
    private volatile long framesOut;
    /** Bytes submitted to {@link #outbox} and not yet handed to the channel; via {@link #QUEUED_BYTES}. */
    private volatile long queuedBytes;
    /** Owned by {@link LoopOutbox} (event loop only): a flush is pending for this channel. */
    boolean flushScheduled;
    /**
     * True once the session is known to have no WebSocket extension (no per-session deflate): events
     * are then written as frames pre-encoded once per event ({@link SharedFrame#retainedWsFrame()}).
     * Set once on the event loop after the upgrade; read by hub threads.
     */
    volatile boolean plainFrames;
    /** Owned by {@link LoopOutbox} (event loop only): held frames and readiness callbacks, or null. */
    HeldOutput held;
    /** Owned by {@link LoopOutbox}: when the oldest held frame started waiting, 0 when none (read anywhere). */
    volatile long heldSinceNanos;

    PacedOutput(Channel channel, long maxPendingBytes, long maxPendingNanos, LoopOutbox outbox) {
        this.channel = channel;
        this.maxPendingBytes = maxPendingBytes;
        this.maxPendingNanos = maxPendingNanos;
        this.outbox = outbox;
    }

    /** True once this side started closing or the channel is gone: nothing more is written. */
    public abstract boolean isClosing();

    /** The code this side closed with, or null while open (or when the peer closed first). */
    public abstract CloseCode closeCode();

    /** Closes the connection as a slow consumer (its output passed a bound). */
    abstract void slowConsumer();

    Channel channel() {
        return channel;
    }

    long framesOut() {
        return framesOut;
    }

    /** Sends JSON bytes produced elsewhere (direct messages) verbatim. */
    public boolean sendJson(byte[] json) {
        return write(new TextWebSocketFrame(Unpooled.wrappedBuffer(json)));
    }

    /** Writes the shared event frame (encoded once for every recipient). */
    boolean writeEvent(SharedFrame frame) {
        if (plainFrames) {
            ByteBuf wire = frame.retainedWsFrame();
            return write(wire, wire.readableBytes());
        }
        return write(new TextWebSocketFrame(frame.retainedBuf()));
    }

    private boolean write(WebSocketFrame frame) {
        return write(frame, frame.content().readableBytes());
    }

    /** Queues a {@code WebSocketFrame} or a pre-encoded frame ({@code ByteBuf}) of {@code size} bytes. */
    private boolean write(Object frame, int size) {
        if (isClosing()) {
            ReferenceCountUtil.release(frame);
            return false;
        }
        // queuedBytes = the loop's outbox plus the held frames, each counted with Netty's per-entry
        // overhead; Netty's own part stays near the high watermark (frames are handed over only while
        // the channel is writable)
        int charge = size + OutputBudget.FRAME_OVERHEAD;
        if (queuedBytes + charge > maxPendingBytes || lagging()) {
            ReferenceCountUtil.release(frame);
            slowConsumer();
            return false;
        }
        FRAMES_OUT.incrementAndGet(this);
        enqueue(frame, charge);
        return true;
    }

    /** Queues a heartbeat ping, uncounted in {@link #framesOut()}; skipped while the channel is not writable. */
    void ping() {
        if (channel.isWritable()) {
            // through the outbox like every other frame (no Micronaut future per ping)
            enqueue(new PingWebSocketFrame(PING.duplicate()), PING_PAYLOAD.length);
        }
    }

    /** Queues the close frame behind every frame already submitted; {@code after} runs once it is written. */
    void submitClose(WebSocketFrame close, ChannelFutureListener after) {
        outbox.submit(this, close, 0, after);
    }

    /** True when the oldest held frame has waited for longer than {@code max-pending-time}. */
    boolean lagging() {
        long since = heldSinceNanos;
        return since != 0 && System.nanoTime() - since > maxPendingNanos;
    }

    /** Hands a frame to the loop's outbox, counting its bytes as pending until it is written. */
    private void enqueue(Object frame, int size) {
        QUEUED_BYTES.addAndGet(this, size);
        outbox.submit(this, frame, size, null);
    }

    /**
     * Output pending for this client: queued and held here plus Netty's outbound buffer, in bytes
     * counted as Netty counts them (exact at the read). Any thread.
     */
    long pendingBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return queuedBytes + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
    }

    /** The outbox handed {@code bytes} to the channel (or dropped them). */
    void dequeued(long bytes) {
        QUEUED_BYTES.addAndGet(this, -bytes);
    }

    /** Event loop: the channel's writability changed (the client read, or more was written). */
    void writabilityChanged() {
        if (channel.isWritable()) {
            LoopOutbox.release(this);
        }
    }

    /**
     * True when the client has read (nearly) everything sent so far: a replay may offer more. Any
     * thread; a hint, not a promise.
     */
    boolean ready() {
        return heldSinceNanos == 0
                && channel.isWritable()
                && queuedBytes < channel.config().getWriteBufferLowWaterMark();
    }

    /**
     * Runs {@code resume} on the event loop once nothing is held and the channel is writable (at once
     * if that is already so). Never runs it when the connection is closing.
     */
    void whenReady(Runnable resume) {
        channel.eventLoop().execute(() -> {
            if (!isClosing()) {
                LoopOutbox.whenReady(this, resume);
            }
        });
    }
}
