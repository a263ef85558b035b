package io.stepcast.gateway.ws;

import io.stepcast.gateway.index.IndexChange;
import io.stepcast.gateway.index.IndexSink;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.ServerFrame;

/**
 * A WebSocket connection's plan index watch: {@code plans} encoded, changes forwarded byte for byte,
 * all through the connection's outbound path (its slow-consumer bound applies to them like to events).
 */
record WsIndexSink(WsConnection connection) implements IndexSink {

    @Override
    public void plans(ServerFrame.Plans frame) {
        connection.send(frame);
    }

    @Override
    public boolean change(IndexChange change, byte[] frame) {
        return connection.sendJson(frame);
    }

    @Override
    public void watchers(ServerFrame.PlanWatchers frame) {
        connection.send(frame);
    }

    @Override
    public void unavailable(String message) {
        connection.sendError(ErrorCode.UNAVAILABLE, message, null);
    }
}
