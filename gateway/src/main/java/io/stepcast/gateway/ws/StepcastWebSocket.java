package io.stepcast.gateway.ws;

import io.micronaut.http.HttpRequest;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnError;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import io.stepcast.gateway.protocol.ServerFrame;

/**
 * The client endpoint {@code /ws} (subprotocol {@value ServerFrame#PROTOCOL}): decode, delegate,
 * encode — the logic lives in {@link ClientSessions}. Every callback runs on the connection's event
 * loop and returns without blocking. Pongs never reach it: {@link InboundGuard} records them as
 * liveness and consumes them.
 */
@ServerWebSocket(value = "/ws", subprotocols = ServerFrame.PROTOCOL)
public final class StepcastWebSocket {

    /** The endpoint's path (the annotation's literal: deploy's drift test reads it from this source). */
    public static final String PATH = "/ws";

    private final ClientSessions sessions;

    StepcastWebSocket(ClientSessions sessions) {
        this.sessions = sessions;
    }

    @OnOpen
    public void onOpen(WebSocketSession session, HttpRequest<?> request) {
        sessions.open(session, request);
    }

    /** Text and binary messages (JSON); the hard per-frame limit is enforced by Netty's decoder. */
    @OnMessage(maxPayloadLength = WsConfig.HARD_FRAME_BYTES)
    public void onMessage(byte[] message, WebSocketSession session) {
        sessions.message(session, message);
    }

    @OnClose
    public void onClose(CloseReason reason, WebSocketSession session) {
        sessions.closed(session, reason);
    }

    @OnError
    public void onError(Throwable error, WebSocketSession session) {
        sessions.failed(session, error);
    }
}
