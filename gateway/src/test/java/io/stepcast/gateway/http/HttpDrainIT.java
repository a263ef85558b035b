package io.stepcast.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.http.SseTestClient.SseEvent;
import io.stepcast.gateway.ops.GatewayShutdown;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A gateway that shuts down tells its SSE streams to reconnect and answers its waiting long-polls. */
class HttpDrainIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void shutdownEndsStreamsWithReconnectAndAnswersLongPolls() throws Exception {
        TestGateway gw = TestGateway.start(Map.of("stepcast.ws.drain-window", "1s"));
        try {
            String plan = TestGateway.planId("drain");
            PublishResult head = gw.publisher()
                    .publish(plan, new PlanStarted("d", List.of("a")))
                    .get(10, TimeUnit.SECONDS);
            HttpStreams streams = gw.context().getBean(HttpStreams.class);
            try (SseTestClient sse = SseTestClient.open(gw.http, gw.uri("/api/plans/" + plan + "/stream"))) {
                sse.nextEvent(T);
                sse.nextEvent(T);
                CompletableFuture<HttpResponse<String>> waiting = gw.http.sendAsync(
                        HttpRequest.newBuilder(gw.uri("/api/plans/" + plan + "/events?since=" + head.seq() + "&epoch="
                                        + head.epoch() + "&wait=25"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                await().atMost(T).until(() -> streams.waiters() == 1);

                Thread stopper = new Thread(() -> new GatewayShutdown(gw.context()).drainThenStop(), "drain-it");
                stopper.start();

                SseEvent reconnect = sse.nextEvent(T);
                assertEquals("reconnect", reconnect.event());
                JsonNode frame = JSON.readTree(reconnect.data());
                assertEquals("reconnect", frame.get("type").asText());
                assertTrue(frame.get("after_ms").asLong() >= 0);
                assertEquals(SseTestClient.END, sse.next(T), "the stream ends after the reconnect event");

                HttpResponse<String> answered = waiting.get(20, TimeUnit.SECONDS);
                assertEquals(200, answered.statusCode());
                JsonNode page = JSON.readTree(answered.body());
                assertEquals(head.seq(), page.get("seq").asLong(), "the cursor is unchanged");
                assertEquals(0, page.get("events").size());
                stopper.join(30_000);
            }
        } finally {
            gw.publisher().close();
            if (gw.context().isRunning()) {
                gw.context().close();
            }
        }
    }
}
