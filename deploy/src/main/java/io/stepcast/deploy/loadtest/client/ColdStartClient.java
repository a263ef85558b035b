package io.stepcast.deploy.loadtest.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client of a serverless cold start: it is already trying to connect (every 10 ms) before the
 * server process exists, as a browser whose gateway scaled to zero does, and on connecting either
 * resumes from its cursor ({@code subscribe} with {@code since}/{@code epoch}: the events it missed
 * arrive from the plan's log) or, for the raw Netty ceiling (no log, no resume), waits for its
 * {@code subscribed} frame. Records when the first event (resp. that frame) arrived and every seq
 * after {@code since}.
 *
 * <p>Runs on its own thread ({@link #start()}); {@link #close()} stops it.
 */
public final class ColdStartClient implements AutoCloseable {

    private static final Pattern TYPE = Pattern.compile("\"type\":\"([a-z_]+)\"");
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private final URI uri;
    private final List<String> subprotocols;
    private final String subscribe;
    private final boolean raw;
    private final long since;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
    private final CountDownLatch first = new CountDownLatch(1);
    private volatile long firstAtNanos;
    private volatile long openAtNanos;
    private volatile int attempts;
    private volatile boolean closed;
    private volatile WebSocket socket;
    private Thread thread;

    private ColdStartClient(URI uri, List<String> subprotocols, String subscribe, boolean raw, long since) {
        this.uri = uri;
        this.subprotocols = subprotocols;
        this.subscribe = subscribe;
        this.raw = raw;
        this.since = since;
    }

    /** A Stepcast client resuming {@code plan} after {@code since} in {@code epoch}; token may be null (auth off). */
    public static ColdStartClient stepcast(int port, String plan, long since, String epoch, String token) {
        List<String> protocols = token == null ? List.of("stepcast.v1") : List.of("stepcast.v1", "bearer." + token);
        String sub = "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\",\"since\":" + since + ",\"epoch\":\"" + epoch
                + "\"}";
        return new ColdStartClient(URI.create("ws://127.0.0.1:" + port + "/ws"), protocols, sub, false, since);
    }

    /** A client of the raw Netty ceiling (the plan in the URL, no resume). */
    public static ColdStartClient raw(int port, String plan) {
        return new ColdStartClient(
                URI.create("ws://127.0.0.1:" + port + "/ws?plan=" + plan), List.of(), null, true, -1);
    }

    public ColdStartClient start() {
        thread = new Thread(this::loop, "cold-start-client");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void loop() {
        while (!closed && socket == null) {
            attempts++;
            try {
                WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(1));
                if (!subprotocols.isEmpty()) {
                    b.subprotocols(
                            subprotocols.get(0),
                            subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
                }
                WebSocket ws = b.buildAsync(uri, new Listener()).get(5, TimeUnit.SECONDS);
                openAtNanos = System.nanoTime();
                socket = ws;
                if (subscribe != null) {
                    ws.sendText(subscribe, true);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception notYet) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Waits for the first event (Stepcast) or the subscribed frame (raw ceiling); false on timeout. */
    public boolean awaitFirst(Duration timeout) throws InterruptedException {
        return first.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@link System#nanoTime()} of the first event, 0 if none yet. */
    public long firstAtNanos() {
        return firstAtNanos;
    }

    /** {@link System#nanoTime()} when the WebSocket opened, 0 if never. */
    public long openAtNanos() {
        return openAtNanos;
    }

    public int attempts() {
        return attempts;
    }

    /** Seqs received after {@code since}, in arrival order. */
    public List<Long> seqs() {
        return List.copyOf(seqs);
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                Matcher type = TYPE.matcher(frame);
                String t = type.find() ? type.group(1) : "";
                if (raw && t.equals("subscribed")) {
                    mark();
                } else if (!raw && t.equals("event")) {
                    Matcher seq = SEQ.matcher(frame);
                    if (seq.find() && Long.parseLong(seq.group(1)) > since) {
                        seqs.add(Long.parseLong(seq.group(1)));
                        mark();
                    }
                }
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }

        private void mark() {
            if (firstAtNanos == 0) {
                firstAtNanos = System.nanoTime();
                first.countDown();
            }
        }
    }
}
