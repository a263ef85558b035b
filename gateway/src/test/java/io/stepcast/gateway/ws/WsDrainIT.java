package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import io.stepcast.gateway.ops.GatewayShutdown;
import io.stepcast.gateway.ops.ReadinessIndicator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Graceful drain: readiness down, then every client gets reconnect + 1012 within the window. */
class WsDrainIT {

    @Test
    void shutdownDrainsClientsWithReconnectThen1012AfterReadinessGoesDown() throws Exception {
        TestGateway server =
                TestGateway.start(Map.of("stepcast.ws.drain-window", "1s", "stepcast.ws.reconnect-after-max", "500ms"));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/readiness"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        ReadinessIndicator readiness = server.context().getBean(ReadinessIndicator.class);

        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WsClient c = WsClient.connect(WsClient.uri(server));
            c.next("connected");
            clients.add(c);
        }
        // exactly what the SIGTERM handler runs
        CompletableFuture<Void> stopped =
                CompletableFuture.runAsync(() -> new GatewayShutdown(server.context()).drainThenStop());
        await().atMost(WsClient.WAIT).until(() -> status(readiness) == HealthStatus.DOWN);
        for (WsClient c : clients) {
            JsonNode reconnect = c.next("reconnect");
            assertEquals("draining", reconnect.path("reason").asText());
            long after = reconnect.path("after_ms").asLong(-1);
            assertTrue(after >= 0 && after <= 500, reconnect::toString);
            assertEquals(1012, c.awaitClose());
        }
        stopped.join();
        clients.forEach(WsClient::close);
    }

    private static HealthStatus status(ReadinessIndicator indicator) {
        HealthResult r = Mono.from(indicator.getResult()).block();
        return r.getStatus();
    }
}
