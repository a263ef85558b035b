package io.stepcast.gateway.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real thing: a gateway JVM started with its main class gets SIGTERM ({@link Process#destroy()})
 * and drains its WebSocket client ({@code reconnect} then 1012) before exiting with status 0.
 */
class SigtermDrainIT {

    private static final Pattern SERVER_RUNNING = Pattern.compile("Server Running: https?://[^\\s/]+:(\\d+)");

    @Test
    void sigtermDrainsWebSocketClientsThenExitsCleanly() throws Exception {
        Path log = Files.createTempFile("gateway-sigterm", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.stepcast.gateway.Application")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("STEPCAST_REDIS_URI", TestRedis.shared().uri());
        pb.environment().put("STEPCAST_AUTH_ENABLED", "false");
        pb.environment().put("STEPCAST_WS_DRAIN_WINDOW", "1s");
        // the gateway binds a free port itself (-1): a port picked here and released could be taken by
        // another process during the gateway's start-up
        pb.environment().put("PORT", "-1");
        Process gateway = pb.start();
        try {
            int port = await().atMost(Duration.ofSeconds(90)).until(() -> boundPort(log), Objects::nonNull);
            HttpClient http = HttpClient.newHttpClient();
            URI ready = URI.create("http://127.0.0.1:" + port + "/health/readiness");
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() ->
                            http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200);

            List<String> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            http.newWebSocketBuilder()
                    .subprotocols("stepcast.v1")
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            received.add(data.toString());
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    })
                    .join();
            await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());

            gateway.destroy(); // SIGTERM
            assertEquals(1012, closed.get(30, TimeUnit.SECONDS));
            assertTrue(
                    received.stream().anyMatch(m -> m.startsWith("{\"type\":\"reconnect\",\"reason\":\"draining\"")),
                    received::toString);
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "gateway exits");
            assertEquals(0, gateway.exitValue(), () -> read(log));
            assertTrue(read(log).contains("drain: readiness down; moving 1 WebSocket connections"), () -> read(log));
        } finally {
            gateway.destroyForcibly();
        }
    }

    /** The port in the gateway's {@code Server Running: http://host:port} line, null before it. */
    private static Integer boundPort(Path log) {
        Matcher m = SERVER_RUNNING.matcher(read(log));
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
