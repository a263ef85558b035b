package io.stepcast.gateway.ws;

import io.micronaut.websocket.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.stepcast.gateway.auth.SessionAuth;
import io.stepcast.gateway.budget.OutputBudget;
import io.stepcast.gateway.hub.FilteredDelivery;
import io.stepcast.gateway.hub.HubFailure;
import io.stepcast.gateway.hub.SharedFrame;
import io.stepcast.gateway.hub.SubscribeResult;
import io.stepcast.gateway.hub.Subscriber;
import io.stepcast.gateway.index.IndexWatch;
import io.stepcast.gateway.protocol.CloseCode;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.EventFilter;
import io.stepcast.gateway.protocol.RequestId;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.protocol.ServerFrameEncoder;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket connection: its subscriptions, its outbound path and its liveness.
 *
 * <p>Outbound: every frame goes through {@link #write} and the event loop's {@link LoopOutbox}. The
 * loop hands frames to the channel while it is writable (below Netty's write-buffer high watermark)
 * and holds the rest in a {@link HeldOutput} until the client has read enough (pacing by
 * writability). The connection is closed with {@link CloseCode#SLOW_CONSUMER} when it does not keep
 * up: its held output would pass {@code stepcast.ws.max-pending-bytes}, or the oldest held frame has
 * waited for longer than {@code stepcast.ws.max-pending-time}. One large event never trips either
 * (the byte bound leaves room for several maximum-size events). On that close the held frames are
 * dropped and the close frame goes right behind what the channel already has, so a client that
 * still reads learns why it was closed. Memory: a connection holds at most
 * {@code max-pending-bytes} plus the high watermark plus one frame (event frames are shared by
 * every recipient, so the same event held for many connections is stored once).
 *
 * <p>Replay pacing: {@link #ready()} and {@link #whenReady} let the hub offer a resumed client's
 * backlog only as fast as the client reads it, instead of a whole log page at once.
 *
 * <p>Threading: hub callbacks ({@link Subscriber}) arrive on Redis I/O threads; client messages,
 * heartbeats and closes run on the channel's event loop. Writes from other threads are queued to the
 * event loop in call order, so a plan's frames keep the hub's order. Fields:
 * <ul>
 *   <li>{@link #plans}: added on the event loop, removed there or by hub callbacks (its own locking);</li>
 *   <li>{@link #closing}: set once (CAS) by whoever closes first; never cleared;</li>
 *   <li>{@link #lastInboundNanos}: written on the event loop only;</li>
 *   <li>{@link #bucket}: event loop only.</li>
 * </ul>
 *
 * <p>Memory: this object is per connection, so its state is kept flat (atomic field updaters instead
 * of atomic wrapper objects, {@link SubscribedPlans} instead of a concurrent set); the heartbeat timer is shared per event loop ({@link HeartbeatWheel}).
 */
public final class WsConnection implements Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
    private static final byte[] PING_PAYLOAD = {'h', 'b'};
    /** Shared by every ping (never released; each frame gets a duplicate). */
    private static final ByteBuf PING =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(PING_PAYLOAD)).asReadOnly();

    private static final AtomicReferenceFieldUpdater<WsConnection, CloseCode> CLOSING =
            AtomicReferenceFieldUpdater.newUpdater(WsConnection.class, CloseCode.class, "closing");
    private static final AtomicLongFieldUpdater<WsConnection> FRAMES_OUT =
            AtomicLongFieldUpdater.newUpdater(WsConnection.class, "framesOut");
    private static final AtomicLongFieldUpdater<WsConnection> QUEUED_BYTES =
            AtomicLongFieldUpdater.newUpdater(WsConnection.class, "queuedBytes");

    private final String sessionId;
    private final Channel channel;
    private final WebSocketSession session;
    private final Limits limits;
    private final ConnectionEvents listener;
    private final long openedAtNanos;
    private final SubscribedPlans plans = new SubscribedPlans();
    /** The filtered subscriptions; null until the first {@code subscribe} with {@code events}. */
    private volatile PlanFilters filters;
    /** The code this side closed with; set once through {@link #CLOSING}. */
    private volatile CloseCode closing;
    /** Set when an I/O error showed that the peer went away (see {@link #peerGone()}). */
    private volatile boolean peerGone;
    /** Frames handed to the outbox; updated through {@link #FRAMES_OUT}. */
    private volatile long framesOut;

    private final TokenBucket bucket;
    private volatile long lastInboundNanos;
    /** The event loop's shared outbound queue: every frame of this connection goes through it. */
    private final LoopOutbox outbox;
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
    /** The connection's plan index watch, or null; event loop only. */
    IndexWatch indexWatch;
    /** The prefix and page size of {@link #indexWatch} (a token refresh restarts it); event loop only. */
    String indexPrefix;

    int indexLimit;
    /** Set at open once authenticated; event loop only. */
    private SessionAuth auth;
    /** Owned by {@link HeartbeatWheel} (event loop only): the bucket holding this connection, or -1. */
    int heartbeatSlot = -1;
    /** Owned by {@link LoopOutbox} (event loop only): held frames and readiness callbacks, or null. */
    HeldOutput held;
    /** Owned by {@link LoopOutbox}: when the oldest held frame started waiting, 0 when none (read anywhere). */
    volatile long heldSinceNanos;

    /** Connection-level settings (from {@code WsConfig}). */
    record Limits(
            long heartbeatNanos,
            long heartbeatTimeoutNanos,
            long closeTimeoutNanos,
            long maxPendingBytes,
            long maxPendingNanos) {}

    WsConnection(
            String sessionId,
            Channel channel,
            WebSocketSession session,
            Limits limits,
            TokenBucket bucket,
            ConnectionEvents listener,
            LoopOutbox outbox) {
        this.sessionId = sessionId;
        this.outbox = outbox;
        this.channel = channel;
        this.session = session;
        this.limits = limits;
        this.bucket = bucket;
        this.listener = listener;
        this.openedAtNanos = System.nanoTime();
        this.lastInboundNanos = openedAtNanos;
    }

    public String sessionId() {
        return sessionId;
    }

    /** The connection's event loop: every session callback runs there. */
    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** The Micronaut session of this connection. */
    WebSocketSession session() {
        return session;
    }

    Channel channel() {
        return channel;
    }

    /** The session's authentication state, or null before it is established. */
    SessionAuth auth() {
        return auth;
    }

    void auth(SessionAuth auth) {
        this.auth = auth;
    }

    long openedAtNanos() {
        return openedAtNanos;
    }

    long framesOut() {
        return framesOut;
    }

    /** The code this side closed with, or null while open (or when the peer closed first). */
    public CloseCode closeCode() {
        return closing;
    }

    public boolean isClosing() {
        return closing != null || !channel.isActive();
    }

    // ---- subscriptions (event loop; removals also from hub callbacks) ----

    boolean isSubscribed(String planId) {
        return plans.contains(planId);
    }

    int subscriptionCount() {
        return plans.size();
    }

    void addPlan(String planId) {
        plans.add(planId);
    }

    boolean removePlan(String planId) {
        filter(planId, null);
        return plans.remove(planId);
    }

    /** Sets the plan's event filter (null: every event); before the hub starts its subscription. */
    void filter(String planId, EventFilter filter) {
        PlanFilters f = filters;
        if (f == null) {
            if (filter == null) {
                return;
            }
            synchronized (plans) {
                f = filters;
                if (f == null) {
                    f = new PlanFilters(new FilteredSink());
                    filters = f;
                }
            }
        }
        f.set(planId, filter);
    }

    /** The plan's filtered delivery, or null (the common case: no filter on this connection). */
    private FilteredDelivery filtered(String planId) {
        PlanFilters f = filters;
        return f == null ? null : f.get(planId);
    }

    /** A copy of the subscribed plan ids. */
    List<String> subscribedPlans() {
        return plans.toList();
    }

    TokenBucket.Verdict acquireToken() {
        return bucket.acquire(System.nanoTime());
    }

    void markInbound() {
        lastInboundNanos = System.nanoTime();
    }

    // ---- outbound ----

    /** Encodes and sends a server frame; false when not sent (closing, or closed as slow). */
    public boolean send(ServerFrame frame) {
        if (frame instanceof ServerFrame.Error e) {
            listener.errorSent(e.code());
        }
        return sendJson(ServerFrameEncoder.encode(frame));
    }

    /** Sends JSON bytes produced elsewhere (direct messages) verbatim. */
    public boolean sendJson(byte[] json) {
        return write(new TextWebSocketFrame(Unpooled.wrappedBuffer(json)));
    }

    /** Sends the frame after every write already queued from other threads (ordering barrier). */
    void sendAfterQueued(ServerFrame frame) {
        channel.eventLoop().execute(() -> send(frame));
    }

    void sendError(ErrorCode code, String message, RequestId ref) {
        send(new ServerFrame.Error(code, message, ref));
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
        if (queuedBytes + charge > limits.maxPendingBytes() || lagging()) {
            ReferenceCountUtil.release(frame);
            slowConsumer();
            return false;
        }
        FRAMES_OUT.incrementAndGet(this);
        enqueue(frame, charge);
        return true;
    }

    /** True when the oldest held frame has waited for longer than {@code max-pending-time}. */
    private boolean lagging() {
        long since = heldSinceNanos;
        return since != 0 && System.nanoTime() - since > limits.maxPendingNanos();
    }

    private void slowConsumer() {
        if (close(CloseCode.SLOW_CONSUMER)) {
            listener.slowConsumer(this);
        }
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
    @Override
    public boolean ready() {
        return heldSinceNanos == 0
                && channel.isWritable()
                && queuedBytes < channel.config().getWriteBufferLowWaterMark();
    }

    /**
     * Runs {@code resume} on the event loop once nothing is held and the channel is writable (at once
     * if that is already so). Never runs it when the connection is closing.
     */
    @Override
    public void whenReady(Runnable resume) {
        channel.eventLoop().execute(() -> {
            if (!isClosing()) {
                LoopOutbox.whenReady(this, resume);
            }
        });
    }

    // ---- closing ----

    /**
     * Starts closing with the given code: writes the close frame, closes the TCP connection when it
     * is flushed or, at the latest, after {@code close-timeout}. Idempotent; false if already closing.
     */
    public boolean close(CloseCode code) {
        return close(code, code.reason());
    }

    /** {@link #close(CloseCode)} with a more specific reason text (ASCII, at most 123 bytes). */
    public boolean close(CloseCode code, String reason) {
        if (!CLOSING.compareAndSet(this, null, code)) {
            return false;
        }
        if (channel.isActive()) {
            // through the outbox, behind every frame already submitted (a slow-consumer close drops them)
            // half-close after the close frame: the client reads it even while it is still sending
            // (a full close would answer its next bytes with a reset that can discard the frame);
            // its close frame or watchClose ends the connection
            outbox.submit(this, new CloseWebSocketFrame(code.code(), reason), 0, WsConnection::halfClose);
            watchClose(System.nanoTime(), Long.MAX_VALUE);
        }
        return true;
    }

    /** After the close frame: shuts this side's output down, or closes when the channel cannot. */
    private static void halfClose(ChannelFuture written) {
        Channel channel = written.channel();
        if (written.isSuccess() && channel instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput();
        } else {
            channel.close();
        }
    }

    /**
     * Drops the TCP connection when its pending output made no progress for {@code close-timeout}
     * (the client does not read) or the close has taken {@code heartbeat-timeout}: a client that
     * still reads gets to the close frame.
     */
    private void watchClose(long startedNanos, long lastPending) {
        channel.eventLoop()
                .schedule(
                        () -> {
                            if (!channel.isActive()) {
                                return;
                            }
                            long pending = pendingBytes();
                            if (pending < lastPending
                                    && System.nanoTime() - startedNanos < limits.heartbeatTimeoutNanos()) {
                                watchClose(startedNanos, pending);
                            } else {
                                channel.close();
                            }
                        },
                        limits.closeTimeoutNanos(),
                        TimeUnit.NANOSECONDS);
    }

    /**
     * The peer went away without a close handshake (connection reset, broken pipe): drops the TCP
     * connection. The connection ends as closed by the peer ({@link #isPeerGone()}) unless this side
     * had already started closing it.
     */
    void peerGone() {
        peerGone = true;
        channel.close();
    }

    /** True when the connection ended because the peer went away without a close handshake. */
    boolean isPeerGone() {
        return peerGone;
    }

    /** Completes when the TCP connection is closed. */
    public CompletionStage<Void> closed() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.closeFuture().addListener(ignored -> f.complete(null));
        return f;
    }

    // ---- heartbeat (event loop, driven by the loop's HeartbeatWheel) ----

    /**
     * One heartbeat visit: closes the connection with {@link CloseCode#HEARTBEAT_TIMEOUT} when it has
     * been silent for longer than the timeout, otherwise pings it (skipped while its output is
     * backed up: the data in flight proves the server side alive, the client's answer is what counts).
     *
     * @return false when the connection is closing or closed: the wheel forgets it
     */
    boolean beat(long nowNanos) {
        if (isClosing()) {
            return false;
        }
        if (nowNanos - lastInboundNanos > limits.heartbeatTimeoutNanos()) {
            close(CloseCode.HEARTBEAT_TIMEOUT);
            return false;
        }
        if (lagging()) { // held output that waits too long, even when nothing more is sent
            slowConsumer();
            return false;
        }
        PlanFilters f = filters;
        if (f != null && !f.flushIdle()) {
            return false;
        }
        if (channel.isWritable()) {
            // through the outbox like every other frame (no Micronaut future per ping)
            enqueue(new PingWebSocketFrame(PING.duplicate()), PING_PAYLOAD.length);
        }
        return true;
    }

    /** A fault while serving this connection outside a client callback: logged, then close 1011. */
    void failed(RuntimeException e) {
        LOG.warn("ws.error session={}: {}", sessionId, e.toString(), e);
        close(CloseCode.INTERNAL_ERROR);
    }

    // ---- Subscriber (Redis I/O threads) ----

    @Override
    public String id() {
        return sessionId;
    }

    @Override
    public void onSubscribed(SubscribeResult result) {
        ServerFrame.Subscribed frame =
                new ServerFrame.Subscribed(result.planId(), result.epoch(), result.seq(), result.recovered());
        FilteredDelivery f = filtered(result.planId());
        if (f == null) {
            send(frame);
        } else {
            f.restart(() -> send(frame));
        }
    }

    @Override
    public void onSnapshot(String planId, PlanSnapshot snapshot) {
        send(new ServerFrame.Snapshot(planId, snapshot.state()));
    }

    @Override
    public boolean onEvent(SharedFrame frame) {
        FilteredDelivery f = filtered(frame.planId());
        return f == null ? writeEvent(frame) : f.offer(frame, filters.sink());
    }

    /** Writes the shared event frame (encoded once for every recipient). */
    private boolean writeEvent(SharedFrame frame) {
        if (plainFrames) {
            ByteBuf wire = frame.retainedWsFrame();
            return write(wire, wire.readableBytes());
        }
        return write(new TextWebSocketFrame(frame.retainedBuf()));
    }

    @Override
    public void onFailed(String planId, HubFailure failure) {
        removePlan(planId);
        String message = failure == HubFailure.OVERFLOW
                ? "the subscription fell behind while starting; subscribe again"
                : "the event store is unavailable; subscribe again later";
        sendError(ErrorCode.UNAVAILABLE, message, RequestId.ofString(planId));
    }

    @Override
    public void onDropped(String planId) {
        removePlan(planId);
    }

    /** The writer of filtered subscriptions: skips as server frames, events as shared frames. */
    private final class FilteredSink implements FilteredDelivery.Sink {
        @Override
        public boolean skip(String planId, String epoch, long through) {
            return send(new ServerFrame.Skip(planId, epoch, through));
        }

        @Override
        public boolean event(SharedFrame frame) {
            return writeEvent(frame);
        }
    }

    @Override
    public String toString() {
        return "WsConnection[" + sessionId + "]";
    }
}
