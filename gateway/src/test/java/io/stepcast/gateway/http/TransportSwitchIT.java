package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import io.stepcast.gateway.http.SseTestClient.SseEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One client moves poll → WebSocket → SSE → long-poll while the plan's events flow at full speed,
 * carrying its cursor (epoch, seq) across: it sees every event exactly once, in order.
 */
class TransportSwitchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(20);
    private static final int EVENTS = 600;

    @Test
    void cursorCarriesAcrossTransportsWithoutGapOrDuplicate() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            String plan = TestGateway.planId("switch");
            gw.publisher()
                    .publish(plan, new PlanStarted("switch", List.of("a")))
                    .get(10, TimeUnit.SECONDS);
            AtomicReference<Throwable> writerError = new AtomicReference<>();
            Thread writer = new Thread(
                    () -> {
                        try {
                            for (int i = 0; i < EVENTS; i++) {
                                gw.publisher()
                                        .publish(plan, new StepOutput(0, "line " + i + "\n"))
                                        .get(10, TimeUnit.SECONDS);
                            }
                        } catch (Throwable e) {
                            writerError.set(e);
                        }
                    },
                    "switch-writer");

            // 1. plain poll: the snapshot and its position
            HttpResponse<String> poll = gw.get("/api/plans/" + plan);
            JsonNode state = JSON.readTree(poll.body());
            String epoch = state.get("epoch").asText();
            long start = state.get("seq").asLong();
            List<Long> seen = new ArrayList<>();
            writer.start();

            // 2. WebSocket, resuming after the polled snapshot
            long cursor = start;
            try (WsClient ws = WsClient.connect(gw.wsUri())) {
                assertEquals("connected", ws.next().get("type").asText());
                ws.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\",\"since\":" + cursor + ",\"epoch\":\""
                        + epoch + "\"}");
                JsonNode subscribed = ws.next();
                assertEquals("subscribed", subscribed.get("type").asText(), subscribed.toString());
                assertTrue(subscribed.get("recovered").asBoolean());
                while (seen.size() < 100) {
                    JsonNode frame = ws.next();
                    if ("event".equals(frame.get("type").asText())) {
                        assertEquals(epoch, frame.get("epoch").asText());
                        seen.add(frame.get("seq").asLong());
                    }
                }
                cursor = seen.get(seen.size() - 1);
            }

            // 3. SSE, resuming with the WebSocket's cursor
            try (SseTestClient sse = SseTestClient.open(
                    gw.http, gw.uri("/api/plans/" + plan + "/stream?since=" + cursor + "&epoch=" + epoch))) {
                SseEvent subscribed = sse.nextEvent(T);
                assertEquals("subscribed", subscribed.event());
                assertTrue(JSON.readTree(subscribed.data()).get("recovered").asBoolean());
                int target = seen.size() + 100;
                while (seen.size() < target) {
                    SseEvent e = sse.nextEvent(T);
                    assertEquals("step_output", e.event());
                    seen.add(JSON.readTree(e.data()).get("seq").asLong());
                }
                cursor = seen.get(seen.size() - 1);
            }

            // 4. long-poll until the writer is done and everything is read
            long last = start + EVENTS;
            while (cursor < last) {
                JsonNode page = JSON.readTree(gw.get("/api/plans/" + plan + "/events?since=" + cursor + "&epoch="
                                + epoch + "&wait=10&limit=50")
                        .body());
                assertTrue(page.get("recovered").asBoolean(), page.toString());
                for (JsonNode e : page.get("events")) {
                    seen.add(e.get("seq").asLong());
                }
                cursor = page.get("seq").asLong();
            }
            writer.join(30_000);
            assertEquals(null, writerError.get());

            assertEquals(EVENTS, seen.size(), "every event once");
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(start + 1 + i, seen.get(i), "in order, without gap or duplicate, at index " + i);
            }
        }
    }
}
