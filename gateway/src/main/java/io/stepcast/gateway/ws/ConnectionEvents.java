package io.stepcast.gateway.ws;

import io.stepcast.gateway.protocol.CloseCode;
import io.stepcast.gateway.protocol.ErrorCode;

/**
 * Notifications about WebSocket connections, for metrics. Implementations must be cheap and
 * non-blocking: they are called on event loops and Redis I/O threads.
 */
public interface ConnectionEvents {

    /** A connection was closed because its pending output passed the bound (4008). */
    void slowConsumer(WsConnection connection);

    /** An error frame was sent. */
    void errorSent(ErrorCode code);

    /** A connection ended; {@code code} is the code this side closed with, or null (peer closed). */
    void closed(WsConnection connection, CloseCode code);

    /** No-op implementation. */
    ConnectionEvents NONE = new ConnectionEvents() {
        @Override
        public void slowConsumer(WsConnection connection) {}

        @Override
        public void errorSent(ErrorCode code) {}

        @Override
        public void closed(WsConnection connection, CloseCode code) {}
    };
}
