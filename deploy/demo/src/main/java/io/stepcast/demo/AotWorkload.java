package io.stepcast.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training workload of the JDK 25 AOT cache: what a gateway's first minutes serve, on every
 * transport, so the classes and method profiles of those paths land in the cache. Per round, on one
 * demo plan: a WebSocket subscription (snapshot, live events), a WebSocket resume with
 * {@code since}/{@code epoch}, an SSE stream, a long-poll and its continuation, a poll and its
 * {@code If-None-Match} repeat, the dashboard's poll, {@code /api/info}, the health and Prometheus
 * endpoints and the static dashboard. Every call sends the client token, as production clients do.
 *
 * <p>Not thread-safe; blocking (run it on its own thread). Failures of single calls are counted, not
 * thrown: the gateway's answer to each path matters less than having walked it.
 */
final class AotWorkload {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern EPOCH = Pattern.compile("\"epoch\":\"([^\"]+)\"");
    private static final Pattern ETAG = Pattern.compile("\"[^\"]*\"");

    private final String base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger frames = new AtomicInteger();
    private int calls;
    private int failures;

    AotWorkload(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** One round over every transport on {@code plan}. */
    void round(String plan) {
        String snapshot = get("/api/plans/" + plan, null);
        String etag = null;
        if (snapshot != null) {
            Matcher m = ETAG.matcher(snapshot);
            etag = m.find() ? m.group() : null;
        }
        get("/api/plans/" + plan, etag);
        get("/api/dashboard/plan/" + plan + "/poll", null);
        long seq = number(SEQ, snapshot);
        String epoch = text(EPOCH, snapshot);
        get("/api/plans/" + plan + "/events", null);
        if (seq > 0 && epoch != null) {
            get("/api/plans/" + plan + "/events?since=" + Math.max(0, seq - 3) + "&epoch=" + epoch + "&wait=1", null);
        }
        sse(plan);
        webSocket(plan, -1, null);
        if (seq > 0 && epoch != null) {
            webSocket(plan, Math.max(0, seq - 3), epoch);
        }
        get("/api/info", null);
        get("/health/readiness", null);
        get("/health", null);
        get("/prometheus", null);
        get("/", null);
        get("/stepcast.js", null);
    }

    int calls() {
        return calls;
    }

    int failures() {
        return failures;
    }

    int webSocketFrames() {
        return frames.get();
    }

    private String get(String path, String ifNoneMatch) {
        calls++;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token);
            if (ifNoneMatch != null) {
                b.header("If-None-Match", ifNoneMatch);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 400) {
                failures++;
            }
            return r.headers().firstValue("ETag").map(e -> e + " " + r.body()).orElse(r.body());
        } catch (IOException e) {
            failures++;
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Opens the plan's SSE stream and reads its first few kilobytes (snapshot, events, pings). */
    private void sse(String plan) {
        calls++;
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/plans/" + plan + "/stream"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .build();
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] buf = new byte[4096];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                int read = 0;
                while (read < 2048 && System.nanoTime() < deadline) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
            }
        } catch (IOException e) {
            failures++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Subscribes (or resumes from {@code since}/{@code epoch}), takes frames for a second, closes. */
    private void webSocket(String plan, long since, String epoch) {
        calls++;
        String subscribe = since < 0
                ? "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}"
                : "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\",\"since\":" + since + ",\"epoch\":\"" + epoch
                        + "\"}";
        try {
            WebSocket ws = http.newWebSocketBuilder()
                    .subprotocols("stepcast.v1", "bearer." + token)
                    .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/ws"), new Counting())
                    .get(10, TimeUnit.SECONDS);
            ws.sendText(subscribe, true).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"ping\"}", true);
            Thread.sleep(1000);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failures++;
        }
    }

    private static long number(Pattern p, String body) {
        if (body == null) {
            return -1;
        }
        Matcher m = p.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String text(Pattern p, String body) {
        if (body == null) {
            return null;
        }
        Matcher m = p.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    private final class Counting implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frames.incrementAndGet();
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
