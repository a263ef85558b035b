package io.stepcast.deploy.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * How the load generator talks to one system under test over WebSocket: which URL and subprotocol,
 * what to send once the upgrade is done, and how to read a text frame. Called on the connection's
 * event loop; must not block.
 */
public interface Wire {

    /** Path and query of the WebSocket URL for a connection watching the plan. */
    String path(Conn conn);

    /** The subprotocols to offer (comma-separated), or null (the default: none). */
    default String subprotocol(Conn conn) {
        return null;
    }

    /** The upgrade completed. By default nothing is sent: the server speaks first or subscribes on the upgrade. */
    default void onOpen(Conn conn, Channel channel) {
        // nothing to send
    }

    /** A text frame arrived (the buffer is released by the caller). */
    void onText(Conn conn, Channel channel, ByteBuf text);
}
