package io.stepcast.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.stepcast.bridge.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** /health (readiness with Redis and drain state, liveness) and /prometheus with the connection meters. */
class OpsEndpointsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(EmbeddedServer s, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthReportsRedisAndPrometheusExposesConnectionMeters() throws Exception {
        try (EmbeddedServer s = ApplicationContext.run(
                EmbeddedServer.class,
                Map.of(
                        "micronaut.server.port",
                        -1,
                        "stepcast.redis.uri",
                        TestRedis.shared().uri(),
                        "endpoints.health.details-visible",
                        "ANONYMOUS",
                        "stepcast.management.metrics-public",
                        true))) {
            HttpResponse<String> ready = get(s, "/health/readiness");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("commands=up, pubsub=up"), ready.body());
            assertEquals(200, get(s, "/health/liveness").statusCode());
            assertEquals(200, get(s, "/health").statusCode());

            CountDownLatch connected = new CountDownLatch(1);
            WebSocket ws = HTTP.newWebSocketBuilder()
                    .subprotocols("stepcast.v1")
                    .buildAsync(URI.create("ws://127.0.0.1:" + s.getPort() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            connected.countDown();
                            return null;
                        }
                    })
                    .join();
            assertTrue(connected.await(20, TimeUnit.SECONDS));
            HttpResponse<String> prom = get(s, "/prometheus");
            assertEquals(200, prom.statusCode());
            String body = prom.body();
            assertTrue(body.contains("stepcast_connections 1.0"), body);
            assertTrue(body.contains("stepcast_slow_consumer_closes_total"), body);
            assertTrue(body.contains("stepcast_connection_closes_total{code=\"4008\"}"), body);
            assertTrue(body.contains("stepcast_client_errors_total{code=\"rate_limited\"}"), body);
            ws.abort();
        }
    }

    @Test
    void readinessIsDownWithoutRedisButTheGatewayStaysUp() throws Exception {
        var redis = TestRedis.startThrowaway();
        try (EmbeddedServer s = ApplicationContext.run(
                EmbeddedServer.class, Map.of("micronaut.server.port", -1, "stepcast.redis.uri", redis.uri()))) {
            assertEquals(200, get(s, "/health/readiness").statusCode());
            redis.stop();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> get(s, "/health/readiness").statusCode() == 503);
            assertEquals(200, get(s, "/health/liveness").statusCode());
            redis.start();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> get(s, "/health/readiness").statusCode() == 200);
        } finally {
            redis.stop();
        }
    }
}
