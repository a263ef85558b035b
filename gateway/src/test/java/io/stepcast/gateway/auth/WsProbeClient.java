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
        WsProbeClient client = new WsProbeClient();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (!subprotocols.isEmpty()) {
            b.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/authprobe-ws" + query), client).get(30, TimeUnit.SECONDS);
        return client;
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
