package io.stepcast.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A real WebSocket client (java.net.http) for tests. Text messages are queued as parsed JSON. A
 * client created {@code stalled} never requests data, so the server's writes back up (slow consumer);
 * {@link #resume()} starts reading again.
 */
final class WsTestClient implements WebSocket.Listener, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final AtomicInteger pings = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean stalled;
    WebSocket socket;

    private WsTestClient(boolean stalled) {
        this.stalled = stalled;
    }

    static WsTestClient connect(URI uri) {
        return connect(uri, false);
    }

    static WsTestClient connect(URI uri, boolean stalled) {
        WsTestClient client = new WsTestClient(stalled);
        client.socket = HTTP.newWebSocketBuilder().subprotocols("stepcast.v1")
                .buildAsync(uri, client).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return client;
    }

    static URI uri(io.micronaut.runtime.server.EmbeddedServer server) {
        return URI.create("ws://127.0.0.1:" + server.getPort() + "/ws");
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (!stalled) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                messages.add(JSON.readTree(text));
            } catch (Exception e) {
                messages.add(JSON.getNodeFactory().textNode("UNPARSEABLE:" + text));
            }
        }
        if (!stalled) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        if (!stalled) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    void send(String json) {
        socket.sendText(json, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Next message; fails after {@link #WAIT}. */
    JsonNode next() {
        try {
            JsonNode n = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(n, "no message within " + WAIT);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Next message, which must have the given type. */
    JsonNode next(String type) {
        JsonNode n = next();
        assertEquals(type, n.path("type").asText(), () -> "expected " + type + " but got " + n);
        return n;
    }

    /** Next message, which must be an error with the given code. */
    JsonNode nextError(String code) {
        JsonNode n = next("error");
        assertEquals(code, n.path("code").asText(), () -> "expected error " + code + " but got " + n);
        return n;
    }

    /** Sends a ping with an id and expects its pong next: proves the connection is still usable. */
    void assertUsable() {
        String id = "alive-" + System.nanoTime();
        send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        JsonNode pong = next("pong");
        assertEquals(id, pong.path("id").asText());
    }

    void resume() {
        stalled = false;
        socket.request(Long.MAX_VALUE);
    }

    int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
