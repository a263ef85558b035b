package io.stepcast.gateway.ws;

import io.stepcast.gateway.budget.PendingOutputs;
import io.stepcast.gateway.protocol.CloseCode;
import jakarta.inject.Singleton;

/**
 * The WebSocket connections as the gateway's output budget sees them: pending output is what the
 * connection queues and holds plus Netty's outbound buffer ({@link WsConnection#pendingBytes()}); a
 * shed connection is closed with 4008 (its held frames dropped, the close frame right behind what the
 * socket already has), a cut one loses its TCP connection at once.
 *
 * <p>Thread-safe: reads volatile counters, and closing only queues the close to the event loop.
 */
@Singleton
final class WsOutputs implements PendingOutputs<WsConnection> {

    /** The close reason of a connection shed by the budget (PROTOCOL.md §4.7). */
    static final String SHED_REASON = "slow consumer: the gateway is over its output budget";

    private final ConnectionRegistry registry;

    WsOutputs(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String transport() {
        return "ws";
    }

    @Override
    public long queuedTotal() {
        return registry.queued().sum();
    }

    @Override
    public Iterable<WsConnection> outputs() {
        return registry.view();
    }

    @Override
    public long pendingBytes(WsConnection c) {
        return c.pendingBytes();
    }

    @Override
    public boolean isClosing(WsConnection c) {
        return c.isClosing();
    }

    @Override
    public boolean shed(WsConnection c) {
        return c.close(CloseCode.SLOW_CONSUMER, SHED_REASON);
    }

    @Override
    public void cut(WsConnection c) {
        c.channel().close();
    }
}
