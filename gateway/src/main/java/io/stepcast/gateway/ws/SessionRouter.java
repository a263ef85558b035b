package io.stepcast.gateway.ws;

import io.stepcast.gateway.hub.SessionIds;
import io.stepcast.gateway.redis.PlanBus;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes direct messages ({@code <prefix>:session:<id>}, e.g. a {@code command_result} published by
 * the bridge's {@code CommandReplies}) to the local session they are addressed to. The bus
 * PSUBSCRIBEs this instance's session pattern once; each message's bytes are handed verbatim to the
 * session's consumer.
 *
 * <p>Delivery is at-most-once: a message to a session that is not (or no longer) connected here, or
 * published while the pub/sub connection is down, is dropped.
 *
 * <p>Threading: thread-safe; consumers are called on the pub/sub I/O thread and must not block.
 */
@Singleton
public final class SessionRouter implements PlanBus.SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRouter.class);

    private final ConcurrentHashMap<String, Consumer<byte[]>> sessions = new ConcurrentHashMap<>();
    private final SessionIds ids;

    public SessionRouter(PlanBus bus, SessionIds ids) {
        this.ids = ids;
        bus.listenSessions(ids.instanceId(), this);
    }

    /**
     * Registers a local session (its id minted by {@link SessionIds#mint()}) and the consumer of its
     * direct messages.
     */
    public void register(String sessionId, Consumer<byte[]> consumer) {
        if (!ids.isLocal(sessionId)) {
            throw new IllegalArgumentException("not a session id of this instance: " + sessionId);
        }
        sessions.put(sessionId, consumer);
    }

    /** Forgets a session (connection closed). */
    public void unregister(String sessionId) {
        sessions.remove(sessionId);
    }

    /** Number of registered sessions. */
    public int size() {
        return sessions.size();
    }

    @Override
    public void onSessionMessage(String sessionId, byte[] message) {
        Consumer<byte[]> consumer = sessions.get(sessionId);
        if (consumer == null) {
            LOG.debug("direct message to unknown session {} dropped", sessionId);
            return;
        }
        try {
            consumer.accept(message);
        } catch (RuntimeException e) {
            LOG.warn("session {}: direct message consumer failed", sessionId, e);
        }
    }
}
