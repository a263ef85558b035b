package io.stepcast.gateway.ws;

import io.micronaut.websocket.WebSocketSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.stepcast.gateway.auth.SessionAuth;
import io.stepcast.gateway.index.IndexWatch;
import io.stepcast.gateway.protocol.CloseCode;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.RequestId;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.protocol.ServerFrameEncoder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket connection: its identity and authentication, its liveness (heartbeat) and
 * how it closes. Its outbound path (pacing, slow-consumer bounds, replay readiness) is the
 * {@link PacedOutput} it extends; its plan subscriptions and the hub's callbacks are its
 * {@link ConnectionPlans} ({@link #plans()}), the {@code Subscriber} the hub holds.
 *
 * <p>Threading: hub callbacks arrive on Redis I/O threads; client messages, heartbeats and closes
 * run on the channel's event loop. Fields:
 * <ul>
 *   <li>{@link #closing}: set once (CAS) by whoever closes first; never cleared;</li>
 *   <li>{@link #lastInboundNanos}: written on the event loop only;</li>
 *   <li>{@link #bucket}, {@link #auth}, the index watch fields, {@link #heartbeatSlot}: event loop only.</li>
 * </ul>
 *
 * <p>Memory: this object is per connection, so its state is kept flat (atomic field updaters instead
 * of atomic wrapper objects, copy-on-write arrays instead of concurrent sets); the heartbeat timer is
 * shared per event loop ({@link HeartbeatWheel}).
 */
public final class WsConnection extends PacedOutput {

    private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);

    private static final AtomicReferenceFieldUpdater<WsConnection, CloseCode> CLOSING =
            AtomicReferenceFieldUpdater.newUpdater(WsConnection.class, CloseCode.class, "closing");

    private final String sessionId;
    private final WebSocketSession session;
    private final Limits limits;
    private final ConnectionEvents listener;
    private final long openedAtNanos;
    private final ConnectionPlans plans = new ConnectionPlans(this);
    /** The code this side closed with; set once through {@link #CLOSING}. */
    private volatile CloseCode closing;
    /** Set when an I/O error showed that the peer went away (see {@link #peerGone()}). */
    private volatile boolean peerGone;

    private final TokenBucket bucket;
    private volatile long lastInboundNanos;
    /** The connection's plan index watch, or null; event loop only. */
    IndexWatch indexWatch;
    /** The prefix and page size of {@link #indexWatch} (a token refresh restarts it); event loop only. */
    String indexPrefix;

    int indexLimit;
    /** Set at open once authenticated; event loop only. */
    private SessionAuth auth;
    /** Owned by {@link HeartbeatWheel} (event loop only): the bucket holding this connection, or -1. */
    int heartbeatSlot = -1;

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
        super(channel, limits.maxPendingBytes(), limits.maxPendingNanos(), outbox);
        this.sessionId = sessionId;
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
        return channel().eventLoop();
    }

    /** The Micronaut session of this connection. */
    WebSocketSession session() {
        return session;
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

    /** The connection's plan subscriptions: the {@code Subscriber} to hand to the hub. */
    ConnectionPlans plans() {
        return plans;
    }

    @Override
    public CloseCode closeCode() {
        return closing;
    }

    @Override
    public boolean isClosing() {
        return closing != null || !channel().isActive();
    }

    TokenBucket.Verdict acquireToken() {
        return bucket.acquire(System.nanoTime());
    }

    void markInbound() {
        lastInboundNanos = System.nanoTime();
    }

    // ---- control frames ----

    /** Encodes and sends a server frame; false when not sent (closing, or closed as slow). */
    public boolean send(ServerFrame frame) {
        if (frame instanceof ServerFrame.Error e) {
            listener.errorSent(e.code());
        }
        return sendJson(ServerFrameEncoder.encode(frame));
    }

    /** Sends the frame after every write already queued from other threads (ordering barrier). */
    void sendAfterQueued(ServerFrame frame) {
        eventLoop().execute(() -> send(frame));
    }

    void sendError(ErrorCode code, String message, RequestId ref) {
        send(new ServerFrame.Error(code, message, ref));
    }

    @Override
    void slowConsumer() {
        if (close(CloseCode.SLOW_CONSUMER)) {
            listener.slowConsumer(this);
        }
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
        if (channel().isActive()) {
            // through the outbox, behind every frame already submitted (a slow-consumer close drops them)
            // half-close after the close frame: the client reads it even while it is still sending
            // (a full close would answer its next bytes with a reset that can discard the frame);
            // its close frame or watchClose ends the connection
            submitClose(new CloseWebSocketFrame(code.code(), reason), WsConnection::halfClose);
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
        Channel channel = channel();
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
        channel().close();
    }

    /** True when the connection ended because the peer went away without a close handshake. */
    boolean isPeerGone() {
        return peerGone;
    }

    /** Completes when the TCP connection is closed. */
    public CompletionStage<Void> closed() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel().closeFuture().addListener(ignored -> f.complete(null));
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
        if (!plans.flushIdle()) {
            return false;
        }
        ping();
        return true;
    }

    /** A fault while serving this connection outside a client callback: logged, then close 1011. */
    void failed(RuntimeException e) {
        LOG.warn("ws.error session={}: {}", sessionId, e.toString(), e);
        close(CloseCode.INTERNAL_ERROR);
    }

    @Override
    public String toString() {
        return "WsConnection[" + sessionId + "]";
    }
}
