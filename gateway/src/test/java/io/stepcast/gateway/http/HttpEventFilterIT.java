package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.http.SseTestClient.SseEvent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lighter subscriptions over HTTP against a real gateway and real Redis: SSE and long-poll with
 * {@code ?events=} (cursor covering the filtered events), poll without output tails (own ETag).
 */
class HttpEventFilterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(10);
    private static final String FILTER = "events=step_status,plan_*";
    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("stepcast.http.sse.heartbeat", "300ms"));
    }

    @AfterAll
    static void stop() {
        if (gw != null) { // null when a subclass's fixture was not available
            gw.close();
        }
    }

    private static PublishResult publish(String plan, PlanEvent... events) {
        PublishResult last = null;
        for (PlanEvent e : events) {
            last = gw.publisher().publish(plan, e).join();
        }
        return last;
    }

    private static PlanEvent output(int i) {
        return new StepOutput(0, "line " + i + "\n");
    }

    private static PlanEvent status(StepState s) {
        return new StepStatus(0, "compile", s);
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    @Test
    void aFilteredSseStreamResumesWithLastEventIdAndSkipEventsCarryTheCursor() throws Exception {
        String plan = TestGateway.planId("sse-flt");
        String epoch = publish(plan, new PlanStarted("b", List.of("compile"))).epoch();
        publish(plan, output(1), output(2), status(StepState.RUNNING), output(3), output(4)); // seqs 2..6
        String path = "/api/plans/" + plan + "/stream?" + FILTER;
        String lastId;
        try (SseTestClient sse = SseTestClient.open(gw.http, gw.uri(path), "Last-Event-ID", epoch + ":1")) {
            assertEquals(200, sse.response.statusCode());
            SseEvent sub = sse.nextEvent(T);
            assertEquals("subscribed", sub.event());
            assertTrue(json(sub.data()).get("recovered").asBoolean());
            SseEvent skip = skipTo(sse, epoch, 3);
            JsonNode skipFrame = json(skip.data());
            assertEquals("skip", skipFrame.get("type").asText());
            assertEquals(plan, skipFrame.get("plan_id").asText());
            assertEquals(3, skipFrame.get("through").asLong());
            SseEvent running = sse.nextEvent(T);
            assertEquals("step_status", running.event());
            assertEquals(epoch + ":4", running.id());
            SseEvent idle = skipTo(sse, epoch, 6); // the heartbeat covers the filtered tail
            lastId = idle.id();
        }
        try (SseTestClient sse = SseTestClient.open(gw.http, gw.uri(path), "Last-Event-ID", lastId)) {
            JsonNode sub = json(sse.nextEvent(T).data());
            assertTrue(sub.get("recovered").asBoolean());
            assertEquals(6, sub.get("seq").asLong(), "the skip's id is an exact cursor: nothing is replayed");
            publish(plan, status(StepState.SUCCEEDED));
            SseEvent done = sse.nextEvent(T);
            assertEquals("step_status", done.event());
            assertEquals(epoch + ":7", done.id());
        }
    }

    @Test
    void longPollPagesHoldOnlyMatchingEventsAndTheirCursorCoversTheFilteredOnes() throws Exception {
        String plan = TestGateway.planId("lp-flt");
        String epoch = publish(plan, new PlanStarted("b", List.of("compile"))).epoch();
        publish(plan, output(1), output(2), output(3), status(StepState.RUNNING), output(4), output(5)); // 2..7
        String base = "/api/plans/" + plan + "/events?since=1&epoch=" + epoch + "&events=step_status";
        JsonNode page = json(gw.get(base).body());
        assertTrue(page.get("recovered").asBoolean());
        assertEquals(1, page.get("events").size());
        assertEquals(5, page.get("events").get(0).get("seq").asLong());
        assertEquals(7, page.get("seq").asLong());
        assertEquals(
                "/api/plans/" + plan + "/events?since=7&epoch=" + epoch + "&events=step_status",
                page.get("next").asText());

        // a page of filtered events only: empty, but its cursor moves on
        JsonNode paged = json(gw.get(base + "&limit=2").body());
        assertEquals(0, paged.get("events").size());
        assertEquals(3, paged.get("seq").asLong());
        assertTrue(paged.get("more").asBoolean());

        // waiting at the head: filtered events do not answer it, a matching one does
        CompletableFuture<HttpResponse<String>> waiting =
                gw.http.sendAsync(get(page.get("next").asText() + "&wait=10"), HttpResponse.BodyHandlers.ofString());
        publish(plan, output(6), status(StepState.SUCCEEDED)); // 8, 9
        JsonNode woke = json(waiting.get(15, TimeUnit.SECONDS).body());
        assertEquals(1, woke.get("events").size());
        assertEquals(9, woke.get("events").get(0).get("seq").asLong());
        assertEquals(9, woke.get("seq").asLong());

        // only filtered events while waiting: the empty page at the end of the wait covers them
        CompletableFuture<HttpResponse<String>> idle =
                gw.http.sendAsync(get(woke.get("next").asText() + "&wait=1"), HttpResponse.BodyHandlers.ofString());
        publish(plan, output(7));
        JsonNode covered = json(idle.get(15, TimeUnit.SECONDS).body());
        assertEquals(0, covered.get("events").size());
        assertEquals(10, covered.get("seq").asLong());

        // a filtered log page ending on filtered events at the head waits after them
        publish(plan, output(8)); // 11
        JsonNode atHead =
                json(gw.get(covered.get("next").asText() + "&wait=0.3").body());
        assertEquals(0, atHead.get("events").size());
        assertEquals(11, atHead.get("seq").asLong());
    }

    @Test
    void badFiltersAre400NamingEventsOnSseAndLongPoll() throws Exception {
        String plan = TestGateway.planId("bad-flt");
        publish(plan, new PlanStarted("b", List.of("compile")));
        StringBuilder many = new StringBuilder("e0");
        for (int i = 1; i < 33; i++) {
            many.append(",e").append(i);
        }
        for (String bad : List.of("", "a,,b", "Step_status", "*", "step*x", many.toString())) {
            for (String path : List.of("/stream?events=", "/events?events=")) {
                HttpResponse<String> r = gw.get("/api/plans/" + plan + path + bad);
                assertEquals(400, r.statusCode(), () -> path + bad + ": " + r.body());
                JsonNode error = json(r.body());
                assertEquals("bad_request", error.get("code").asText());
                assertEquals("events", error.get("field").asText());
            }
        }
    }

    @Test
    void pollWithoutTailsLeavesOutputTailOutWithItsOwnEtagAnd304PerVariant() throws Exception {
        String plan = TestGateway.planId("poll-lite");
        publish(plan, new PlanStarted("b", List.of("compile", "test")), output(1), status(StepState.RUNNING));
        for (String path : List.of("/api/plans/" + plan, "/api/dashboard/plan/" + plan + "/poll")) {
            HttpResponse<String> full = gw.get(path);
            HttpResponse<String> lite = gw.get(path + "?tails=false");
            assertEquals(200, lite.statusCode());
            assertTrue(full.body().contains("\"output_tail\""));
            assertFalse(lite.body().contains("output_tail"), lite.body());
            assertTrue(lite.body().length() < full.body().length());
            JsonNode fullJson = json(full.body());
            JsonNode liteJson = json(lite.body());
            assertEquals(
                    "line 1\n", fullJson.get("steps").get(0).get("output_tail").asText());
            ((ObjectNode) fullJson.get("steps").get(0)).remove("output_tail");
            ((ObjectNode) fullJson.get("steps").get(1)).remove("output_tail");
            assertEquals(fullJson, liteJson, "only the tails are left out");

            String fullTag = full.headers().firstValue("ETag").orElseThrow();
            String liteTag = lite.headers().firstValue("ETag").orElseThrow();
            assertNotEquals(fullTag, liteTag);
            assertEquals(
                    304, gw.get(path + "?tails=false", "If-None-Match", liteTag).statusCode());
            assertEquals(
                    200, gw.get(path + "?tails=false", "If-None-Match", fullTag).statusCode());
            assertEquals(304, gw.get(path, "If-None-Match", fullTag).statusCode());
            assertEquals(200, gw.get(path, "If-None-Match", liteTag).statusCode());
            assertEquals(
                    304, gw.get(path + "?tails=true", "If-None-Match", fullTag).statusCode());

            HttpResponse<String> bad = gw.get(path + "?tails=maybe");
            assertEquals(400, bad.statusCode());
            assertEquals("tails", json(bad.body()).get("field").asText());
        }
    }

    /**
     * Reads skip events up to {@code through}: one, or several when a heartbeat fell between the
     * filtered events; each moves the cursor forward and nothing else comes in between.
     */
    private static SseEvent skipTo(SseTestClient sse, String epoch, long through) throws Exception {
        long at = -1;
        SseEvent skip = null;
        while (at < through) {
            skip = sse.nextEvent(T);
            assertEquals("skip", skip.event(), skip::toString);
            long next = Long.parseLong(skip.id().substring(epoch.length() + 1));
            assertTrue(skip.id().startsWith(epoch + ":") && next > at, skip::toString);
            at = next;
        }
        assertEquals(through, at);
        return skip;
    }

    private static HttpRequest get(String pathAndQuery) {
        return HttpRequest.newBuilder(gw.uri(pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
    }
}
