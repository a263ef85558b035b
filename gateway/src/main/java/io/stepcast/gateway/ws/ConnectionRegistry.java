package io.stepcast.gateway.ws;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open WebSocket connections of this instance, by session id. Used for the connection cap, the
 * connections gauge and the drain. A connection is present from its {@code connected} frame until
 * its close callback; lookups are lock-free.
 */
@Singleton
public final class ConnectionRegistry {

    private final Map<String, WsConnection> bySession = new ConcurrentHashMap<>();
    /** Bytes every connection's outbox was handed, monotonic ({@link WsOutputs#queuedTotal}). */
    private final LongAdder queued = new LongAdder();

    void add(WsConnection connection) {
        bySession.put(connection.sessionId(), connection);
    }

    void remove(WsConnection connection) {
        bySession.remove(connection.sessionId(), connection);
    }

    /** The counter the event loops' outboxes add every queued frame to. */
    LongAdder queued() {
        return queued;
    }

    /** Number of open connections. */
    public int size() {
        return bySession.size();
    }

    /** The connection of a session, or null. */
    public WsConnection get(String sessionId) {
        return bySession.get(sessionId);
    }

    /** The open connections, a weakly consistent live view (no copy). */
    Collection<WsConnection> view() {
        return Collections.unmodifiableCollection(bySession.values());
    }

    /** A snapshot of the open connections. */
    public List<WsConnection> snapshot() {
        return new ArrayList<>(bySession.values());
    }
}
