package io.stepcast.gateway.ws;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.stepcast.gateway.auth.AuthResult;
import io.stepcast.gateway.auth.ClientAuthenticator;
import io.stepcast.gateway.auth.ExpiryTimer;
import io.stepcast.gateway.auth.SessionAuth;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.hub.SessionIds;
import io.stepcast.gateway.index.IndexFeed;
import io.stepcast.gateway.protocol.ClientFrameDecoder;
import io.stepcast.gateway.protocol.CloseCode;
import io.stepcast.gateway.protocol.DecodeResult;
import io.stepcast.gateway.protocol.DecoderLimits;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.redis.PlanStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket session logic behind the thin {@link StepcastWebSocket} endpoint: opening (session
 * id, {@code connected}, heartbeat, inbound guard), decoding client frames (carried out by
 * {@link SessionRequests}), and closing.
 *
 * <p>Threading: every method runs on the connection's event loop and never blocks; hub calls return
 * at once and answer through the connection's {@code Subscriber} callbacks ({@link ConnectionPlans}).
 */
@Singleton
public final class ClientSessions {

    /** Logger of the one-line-per-connection open/close log. */
    static final Logger CONNECTIONS = LoggerFactory.getLogger("stepcast.connections");

    private static final Logger LOG = LoggerFactory.getLogger(ClientSessions.class);

    private final WsConfig config;
    private final RateLimitConfig rateLimit;
    private final PlanHub hub;
    private final SessionIds sessionIds;
    private final SessionRouter router;
    private final ConnectionRegistry registry;
    private final ConnectionEvents events;
    private final DrainState drain;
    private final ClientFrameDecoder decoder;
    /** One shared outbound queue per event loop (see {@link LoopOutbox}); grows to the loop count. */
    private final Map<EventLoop, LoopOutbox> outboxes = new ConcurrentHashMap<>();
    /** One heartbeat timer per event loop (see {@link HeartbeatWheel}); grows to the loop count. */
    private final Map<EventLoop, HeartbeatWheel> wheels = new ConcurrentHashMap<>();
    /** One token-expiry timer per event loop (see {@link ExpiryTimer}); grows to the loop count. */
    private final Map<EventLoop, ExpiryTimer> expiries = new ConcurrentHashMap<>();
    /**
     * The connection of each open session, from open to the close callback (the lifetime of its
     * {@link ConnectionRegistry} entry). Not a session attribute: that would give every session its
     * own attribute map (about 120 bytes per connection against a 32-byte entry here).
     */
    private final Map<WebSocketSession, WsConnection> bySession = new ConcurrentHashMap<>();

    private final WsConnection.Limits limits;
    private final ClientAuthenticator authenticator;
    /** What decoded client frames ask for: subscriptions, the index watch, commands, token refresh. */
    private final SessionRequests requests;
    /** Rate limit and size answers, shared by every connection's {@link InboundGuard}. */
    private final RateGate gate;

    ClientSessions(
            WsConfig config,
            RateLimitConfig rateLimit,
            PlanHub hub,
            SessionIds sessionIds,
            SessionRouter router,
            PlanStore store,
            ConnectionRegistry registry,
            ConnectionEvents events,
            DrainState drain,
            ClientAuthenticator authenticator,
            IndexFeed indexFeed) {
        this.authenticator = authenticator;
        this.requests = new SessionRequests(config, hub, store, authenticator, indexFeed);
        this.config = config;
        this.rateLimit = rateLimit;
        this.hub = hub;
        this.sessionIds = sessionIds;
        this.router = router;
        this.registry = registry;
        this.events = events;
        this.drain = drain;
        this.decoder = new ClientFrameDecoder(new DecoderLimits(
                config.maxFrameBytes(), config.maxArgsBytes(), DecoderLimits.DEFAULTS.maxNestingDepth()));
        this.gate = new RateGate(rateLimit, config.maxFrameBytes());
        this.limits = new WsConnection.Limits(
                config.heartbeat().toNanos(),
                config.heartbeatTimeout().toNanos(),
                config.closeTimeout().toNanos(),
                config.maxPendingBytes(),
                config.maxPendingTime().toNanos());
    }

    void open(WebSocketSession session, HttpRequest<?> request) {
        Channel channel =
                ((NettyHttpRequest<?>) request).getChannelHandlerContext().channel();
        WsConnection connection = new WsConnection(
                sessionIds.mint(),
                channel,
                session,
                limits,
                new TokenBucket(rateLimit, System.nanoTime()),
                events,
                outboxes.computeIfAbsent(channel.eventLoop(), loop -> new LoopOutbox(loop, registry.queued())));
        bySession.put(session, connection);
        CONNECTIONS.info("ws.open session={} remote={}", connection.sessionId(), request.getRemoteAddress());
        if (drain.isDraining()) {
            connection.close(CloseCode.SERVICE_RESTART);
            return;
        }
        if (registry.size() >= config.maxConnections()) {
            connection.close(CloseCode.TRY_AGAIN_LATER);
            return;
        }
        // authenticated from what the security filter established during the upgrade (PROTOCOL.md §6)
        AuthResult auth = authenticator.authenticateUpgrade(request);
        if (auth instanceof AuthResult.Denied denied) {
            connection.close(
                    CloseCode.UNAUTHORIZED, "unauthorized: " + denied.failure().message());
            return;
        }
        SessionAuth sessionAuth = new SessionAuth(((AuthResult.Granted) auth).principal());
        connection.auth(sessionAuth);
        sessionAuth.scheduleExpiry(
                expiries.computeIfAbsent(channel.eventLoop(), ExpiryTimer::new),
                () -> SessionRequests.expired(connection));
        registry.add(connection);
        router.register(connection.sessionId(), connection::sendJson);
        // Micronaut adds its handler right after this callback; the guard goes in front of it.
        channel.eventLoop().execute(() -> {
            if (channel.pipeline().get(InboundGuard.NAME) == null && channel.isActive()) {
                channel.pipeline()
                        .addBefore(
                                "websocket-handler",
                                InboundGuard.NAME,
                                new InboundGuard(connection, config.maxFrameBytes(), WsConfig.HARD_FRAME_BYTES, gate));
                UpgradeLeftovers.release(channel.pipeline(), request);
                connection.plainFrames = UpgradeLeftovers.noExtensions(channel.pipeline());
            }
        });
        connection.send(new ServerFrame.Connected(
                connection.sessionId(), ServerFrame.PROTOCOL, config.heartbeat().toMillis()));
        wheels.computeIfAbsent(channel.eventLoop(), loop -> new HeartbeatWheel(loop, limits.heartbeatNanos()))
                .add(connection);
    }

    void message(WebSocketSession session, byte[] message) {
        WsConnection connection = connection(session);
        if (connection == null || connection.isClosing() || !gate.admit(connection)) {
            return;
        }
        DecodeResult result = decoder.decode(message);
        if (result instanceof DecodeResult.Rejected rejected) {
            connection.send(rejected.toFrame());
            return;
        }
        requests.handle(connection, session, ((DecodeResult.Decoded) result).frame());
    }

    void closed(WebSocketSession session, CloseReason reason) {
        WsConnection connection = bySession.remove(session);
        if (connection == null) {
            return;
        }
        if (connection.auth() != null) {
            connection.auth().cancel();
        }
        HeartbeatWheel wheel = wheels.get(connection.eventLoop());
        if (wheel != null) {
            wheel.remove(connection);
        }
        registry.remove(connection);
        router.unregister(connection.sessionId());
        hub.unsubscribeAll(connection.plans());
        requests.stopWatch(connection);
        CloseCode ours = connection.closeCode();
        events.closed(connection, ours);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connection.openedAtNanos());
        if (ours != null) {
            CONNECTIONS.info(
                    "ws.close session={} by=server code={} reason=\"{}\" duration_ms={} frames_out={}",
                    connection.sessionId(),
                    ours.code(),
                    ours.reason(),
                    ms,
                    connection.framesOut());
        } else {
            CONNECTIONS.info(
                    "ws.close session={} by={} code={} reason=\"{}\" duration_ms={} frames_out={}",
                    connection.sessionId(),
                    connection.isPeerGone() ? "client_gone" : "client",
                    reason.getCode(),
                    sanitize(reason.getReason()),
                    ms,
                    connection.framesOut());
        }
    }

    void failed(WebSocketSession session, Throwable error) {
        WsConnection connection = connection(session);
        if (connection != null && isPeerGone(error)) {
            // broken pipe, connection reset: the client (or a proxy) went away; not our fault
            LOG.debug("ws.gone session={}: {}", connection.sessionId(), error.toString());
            connection.peerGone();
            return;
        }
        String id = connection == null ? "-" : connection.sessionId();
        LOG.warn("ws.error session={}: {}", id, error.toString(), error);
        if (connection != null) {
            connection.close(CloseCode.INTERNAL_ERROR);
        } else if (session.isOpen()) {
            session.close(CloseReason.INTERNAL_ERROR);
        }
    }

    /** True when the error is the socket's: an I/O failure talking to the peer, anywhere in the causes. */
    static boolean isPeerGone(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private WsConnection connection(WebSocketSession session) {
        return bySession.get(session);
    }

    private static String sanitize(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("[^\\x20-\\x7e]", "?").replace('"', '\'');
        return t.length() <= 64 ? t : t.substring(0, 64);
    }
}
