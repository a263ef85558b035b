package io.stepcast.gateway.auth;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A JDK WebSocket client that records text frames and the close status, for auth tests. */
final class WsProbeClient implements WebSocket.Listener {

    private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final AtomicReference<String> close = new AtomicReference<>();
    private final StringBuilder partial = new StringBuilder();

    static WsProbeClient open(int port, String query, List<String> subprotocols, String... headers) throws Exception {
        return openPath(port, "/authprobe-ws" + query, subprotocols, headers);
    }

    private volatile WebSocket socket;

    /** Opens {@code ws://127.0.0.1:port<pathAndQuery>}. */
    static WsProbeClient openPath(int port, String pathAndQuery, List<String> subprotocols, String... headers)
            throws Exception {
        WsProbeClient client = new WsProbeClient();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (!subprotocols.isEmpty()) {
            b.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        client.socket = b.buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), client).get(30, TimeUnit.SECONDS);
        return client;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
    }

    /** The next text frame, or null after 30 s. */
    String nextText() throws InterruptedException {
        return texts.poll(30, TimeUnit.SECONDS);
    }

    /** The next text frame containing {@code fragment}, skipping others (events, pongs, …). */
    String awaitText(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String t = texts.poll(1, TimeUnit.SECONDS);
            if (t != null && t.contains(fragment)) {
                return t;
            }
        }
        throw new AssertionError("no frame containing " + fragment + " within 30 s; close=" + close.get());
    }

    /** The first frame containing each fragment, in any order (other frames are skipped). */
    java.util.Map<String, String> awaitTexts(String... fragments) throws InterruptedException {
        java.util.Map<String, String> found = new java.util.LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (found.size() < fragments.length && System.nanoTime() < deadline) {
            String t = texts.poll(1, TimeUnit.SECONDS);
            for (String f : fragments) {
                if (t != null && !found.containsKey(f) && t.contains(f)) {
                    found.put(f, t);
                    break;
                }
            }
        }
        if (found.size() < fragments.length) {
            throw new AssertionError("frames missing within 30 s; got " + found + "; close=" + close.get());
        }
        return found;
    }

    boolean isClosed() {
        return close.get() != null;
    }

    String firstText() throws InterruptedException {
        return texts.poll(30, TimeUnit.SECONDS);
    }

    String closeStatus() {
        await().atMost(Duration.ofSeconds(30)).until(() -> close.get() != null);
        return close.get();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            texts.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        close.set(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        close.compareAndSet(null, "error " + error);
    }
}
