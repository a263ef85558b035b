package io.stepcast.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The WebSocket client of the gateway's tests: a real {@code java.net.http} WebSocket that queues the
 * text messages it receives, for reading as JSON ({@link #next()}) or as text ({@link #nextText()},
 * {@link #awaitText}), and records how the connection closed. A client connected {@code stalled}
 * never requests data, so the server's writes back up (slow consumer); {@link #resume()} starts
 * reading again.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** How long any wait of this client lasts before it fails. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final AtomicReference<String> closeStatus = new AtomicReference<>();
    /** WebSocket pings received (answered by the JDK). */
    public final AtomicInteger pings = new AtomicInteger();

    private final StringBuilder partial = new StringBuilder();
    private volatile boolean stalled;
    /** The JDK socket, for sending raw or fragmented frames. */
    public volatile WebSocket socket;

    private WsClient(boolean stalled) {
        this.stalled = stalled;
    }

    /** Connects with the {@code stepcast.v1} subprotocol. */
    public static WsClient connect(URI uri) {
        return connect(uri, false);
    }

    public static WsClient connect(URI uri, boolean stalled) {
        WsClient client = new WsClient(stalled);
        client.socket = HTTP.newWebSocketBuilder()
                .subprotocols("stepcast.v1")
                .buildAsync(uri, client)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
        return client;
    }

    /** The gateway's WebSocket endpoint. */
    public static URI uri(TestGateway gateway) {
        return gateway.wsUri();
    }

    /**
     * Opens {@code ws://127.0.0.1:port<pathAndQuery>} offering these subprotocols (none when empty)
     * with these extra header name/value pairs.
     */
    public static WsClient openPath(int port, String pathAndQuery, List<String> subprotocols, String... headers)
            throws Exception {
        WsClient client = new WsClient(false);
        WebSocket.Builder b = HTTP.newWebSocketBuilder();
        if (!subprotocols.isEmpty()) {
            b.subprotocols(
                    subprotocols.get(0),
                    subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        client.socket = b.buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), client)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return client;
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
            texts.add(partial.toString());
            partial.setLength(0);
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
        closeStatus.compareAndSet(null, statusCode + " " + reason);
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeStatus.compareAndSet(null, "error " + error);
        closeCode.completeExceptionally(error);
    }

    public void send(String text) {
        socket.sendText(text, true)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Next message as JSON; fails after {@link #WAIT}. */
    public JsonNode next() {
        String text = nextText();
        assertNotNull(text, "no message within " + WAIT);
        return parse(text);
    }

    /** Next message, which must have the given type. */
    public JsonNode next(String type) {
        JsonNode n = next();
        assertEquals(type, n.path("type").asText(), () -> "expected " + type + " but got " + n);
        return n;
    }

    /** Next message, which must be an error with the given code. */
    public JsonNode nextError(String code) {
        JsonNode n = next("error");
        assertEquals(code, n.path("code").asText(), () -> "expected error " + code + " but got " + n);
        return n;
    }

    /** The next message as JSON if one is queued now, else null (no wait). */
    public JsonNode poll() {
        String text = texts.poll();
        return text == null ? null : parse(text);
    }

    /** Messages received and not read yet. */
    public int queued() {
        return texts.size();
    }

    /** The next text message, or null after {@link #WAIT} (or at once when this thread is interrupted). */
    public String nextText() {
        try {
            return texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next text message containing {@code fragment}, skipping others (events, pongs, …). */
    public String awaitText(String fragment) {
        return awaitTexts(fragment).get(fragment);
    }

    /** The first message containing each fragment, in any order (other messages are skipped). */
    public Map<String, String> awaitTexts(String... fragments) {
        Map<String, String> found = new LinkedHashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (found.size() < fragments.length && System.nanoTime() < deadline) {
                String t = texts.poll(100, TimeUnit.MILLISECONDS);
                for (String f : fragments) {
                    if (t != null && !found.containsKey(f) && t.contains(f)) {
                        found.put(f, t);
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (found.size() < fragments.length) {
            throw new AssertionError(
                    "messages missing within " + WAIT + "; got " + found + "; close=" + closeStatus.get());
        }
        return found;
    }

    /** Sends a ping with an id and expects its pong next: proves the connection is still usable. */
    public void assertUsable() {
        String id = "alive-" + System.nanoTime();
        send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        JsonNode pong = next("pong");
        assertEquals(id, pong.path("id").asText());
    }

    /** Starts reading again (a client connected stalled). */
    public void resume() {
        stalled = false;
        socket.request(Long.MAX_VALUE);
    }

    public boolean isClosed() {
        return closeStatus.get() != null;
    }

    /** The close code the server sent; fails after {@link #WAIT}. */
    public int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** How the connection closed, as {@code "<code> <reason>"} (or {@code "error ..."}); waits for it. */
    public String closeStatus() {
        await().atMost(WAIT).until(() -> closeStatus.get() != null);
        return closeStatus.get();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return JSON.getNodeFactory().textNode("UNPARSEABLE:" + text);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
