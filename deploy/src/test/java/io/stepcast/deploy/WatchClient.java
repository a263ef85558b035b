package io.stepcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client that watches some plans the way a well-behaved Stepcast client does: it
 * subscribes, and whenever its connection ends (server close, drain, crash of the instance behind
 * the load balancer) it reconnects through the same URL and resumes every plan with
 * {@code since}+{@code epoch}. Each plan's frames are judged by a {@link ClientPlanView}.
 *
 * <p>Threading: callbacks run on the shared {@link HttpClient}'s executor, sequentially per
 * connection; sends are chained so that at most one is outstanding per connection.
 */
final class WatchClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int id;
    private final HttpClient http;
    private final URI uri;
    private final ScheduledExecutorService timer;
    private final Map<String, ClientPlanView> plans = new LinkedHashMap<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger closes1012 = new AtomicInteger();
    private final Map<Integer, AtomicInteger> closeCodes = new ConcurrentHashMap<>();
    private final AtomicInteger reconnectFrames = new AtomicInteger();
    private final AtomicInteger errorFrames = new AtomicInteger();
    private final AtomicLong nextConnectDelayMs = new AtomicLong(-1);
    private volatile boolean stopped;
    private volatile WebSocket current;
    private volatile Listener currentListener;
    private final AtomicInteger resubscribes = new AtomicInteger();
    private volatile String lastError;
    private volatile String lastErrorFrame;
    private volatile String sessionId;

    WatchClient(int id, HttpClient http, URI uri, ScheduledExecutorService timer, List<String> planIds) {
        this.id = id;
        this.http = http;
        this.uri = uri;
        this.timer = timer;
        for (String p : planIds) {
            plans.put(p, new ClientPlanView(p));
        }
    }

    int id() {
        return id;
    }

    Map<String, ClientPlanView> plans() {
        return plans;
    }

    /** Opens the first connection (asynchronously; reconnects on its own afterwards). */
    void start() {
        connect(0);
    }

    /** Stops reconnecting and closes the connection. */
    void stop() {
        stopped = true;
        WebSocket ws = current;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
            ws.abort();
        }
    }

    boolean isOpen() {
        WebSocket ws = current;
        return ws != null && !ws.isInputClosed() && !ws.isOutputClosed();
    }

    int connects() {
        return connects.get();
    }

    /** How each of this client's connections ended: close code → count (1006 = no close frame). */
    Map<Integer, AtomicInteger> closeCodes() {
        return closeCodes;
    }

    int closes1012() {
        return closes1012.get();
    }

    int reconnectFrames() {
        return reconnectFrames.get();
    }

    /** Subscriptions repeated after an {@code unavailable} error (Redis away). */
    int resubscribes() {
        return resubscribes.get();
    }

    /** Drops the connection without a close handshake, as a network failure would; it reconnects. */
    void dropConnection() {
        WebSocket ws = current;
        Listener l = currentListener;
        if (ws != null && l != null) {
            ws.abort();
            // abort() ends the connection without telling the listener: reconnect from here.
            l.end();
        }
    }

    int errorFrames() {
        return errorFrames.get();
    }

    String lastErrorFrame() {
        return lastErrorFrame;
    }

    /** The session id of the current (or last) connection, from its {@code connected} frame. */
    String sessionId() {
        return sessionId;
    }

    String lastError() {
        return lastError;
    }

    private void connect(long delayMs) {
        if (stopped) {
            return;
        }
        timer.schedule(
                () -> http.newWebSocketBuilder()
                        .subprotocols("stepcast.v1")
                        .connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(uri, new Listener())
                        .whenComplete((ws, err) -> {
                            if (err != null) {
                                lastError = "connect: " + err;
                                connect(backoff());
                            }
                        }),
                delayMs,
                TimeUnit.MILLISECONDS);
    }

    private long backoff() {
        return 100 + ThreadLocalRandom.current().nextLong(400);
    }

    private void connectionEnded() {
        current = null;
        long after = nextConnectDelayMs.getAndSet(-1);
        connect(after >= 0 ? Math.min(after, 5000) : backoff());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<WebSocket> sends = CompletableFuture.completedFuture(null);
        private boolean ended;

        private WebSocket ws;

        @Override
        public void onOpen(WebSocket ws) {
            this.ws = ws;
            current = ws;
            currentListener = this;
            connects.incrementAndGet();
            for (ClientPlanView t : plans.values()) {
                subscribe(t);
            }
            // No flow control towards the server: a test client reads as fast as it can (the
            // gateway's slow-consumer bound is what protects it, and the test would show it).
            ws.request(Long.MAX_VALUE);
        }

        /** Subscribes from the plan's cursor: resume with since+epoch once it has seen an event. */
        synchronized void subscribe(ClientPlanView t) {
            if (ended) {
                return;
            }
            ClientPlanView.Cursor c = t.cursor();
            String msg = c.epoch() == null
                    ? "{\"type\":\"subscribe\",\"plan_id\":\"" + t.planId() + "\"}"
                    : "{\"type\":\"subscribe\",\"plan_id\":\"" + t.planId() + "\",\"since\":" + c.seq()
                            + ",\"epoch\":\"" + c.epoch() + "\"}";
            WebSocket socket = ws;
            sends = sends.thenCompose(x -> socket.sendText(msg, true)).exceptionally(err -> socket);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
            } else if (partial.length() > 0) {
                partial.append(data);
                handle(partial.toString());
                partial.setLength(0);
            } else {
                handle(data.toString());
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCodes.computeIfAbsent(statusCode, k -> new AtomicInteger()).incrementAndGet();
            if (statusCode == 1012) {
                closes1012.incrementAndGet();
            }
            end();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            lastError = String.valueOf(error);
            closeCodes.computeIfAbsent(1006, k -> new AtomicInteger()).incrementAndGet();
            end();
        }

        private synchronized void end() {
            if (!ended) {
                ended = true;
                connectionEnded();
            }
        }
    }

    private void handle(String frame) {
        EventHead head = EventHead.parse(frame);
        if (head != null) {
            ClientPlanView t = plans.get(head.planId());
            if (t != null) {
                t.onEvent(head.epoch(), head.seq());
            }
            return;
        }
        JsonNode n;
        try {
            n = JSON.readTree(frame);
        } catch (Exception e) {
            errorFrames.incrementAndGet();
            lastErrorFrame = "unparseable: " + frame;
            return;
        }
        String type = n.path("type").asText();
        switch (type) {
            case "subscribed" -> {
                ClientPlanView t = plans.get(n.path("plan_id").asText());
                if (t != null) {
                    String epoch = n.path("epoch").isTextual() ? n.path("epoch").asText() : null;
                    boolean resumed = t.cursor().epoch() != null;
                    t.onSubscribed(
                            epoch, n.path("seq").asLong(), n.path("recovered").asBoolean(), resumed);
                }
            }
            case "snapshot" -> {
                ClientPlanView t = plans.get(n.path("plan_id").asText());
                JsonNode state = n.path("state");
                if (t != null) {
                    String epoch = state.path("epoch").isTextual()
                            ? state.path("epoch").asText()
                            : null;
                    t.onSnapshot(epoch, state.path("seq").asLong());
                }
            }
            case "reconnect" -> {
                reconnectFrames.incrementAndGet();
                nextConnectDelayMs.set(n.path("after_ms").asLong(0));
            }
            case "error" -> {
                ClientPlanView t = plans.get(n.path("ref").asText());
                if ("unavailable".equals(n.path("code").asText()) && t != null) {
                    // The gateway lost Redis: its subscription of this plan ended. Subscribe again
                    // (from our cursor) a little later, on the same connection, as clients should.
                    Listener l = currentListener;
                    resubscribes.incrementAndGet();
                    timer.schedule(
                            () -> {
                                if (l == currentListener && l != null) {
                                    l.subscribe(t);
                                }
                            },
                            300 + ThreadLocalRandom.current().nextLong(400),
                            TimeUnit.MILLISECONDS);
                } else {
                    errorFrames.incrementAndGet();
                    lastErrorFrame = frame;
                }
            }
            case "connected" -> sessionId = n.path("session_id").asText();
            default -> {
                // pong, unsubscribed: nothing to track
            }
        }
    }

    @Override
    public String toString() {
        return "client-" + id;
    }
}
