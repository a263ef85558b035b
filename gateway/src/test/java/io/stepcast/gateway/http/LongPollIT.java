package io.stepcast.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.gateway.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LongPollIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of("stepcast.http.long-poll.max-wait", "20s"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void waitingRequestWakesWithTheEventThatArrived() throws Exception {
        String plan = TestGateway.planId("lp-wake");
        PublishResult head = publish(plan, new PlanStarted("p", List.of("a")));
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingLongPolls() == 0);

        CompletableFuture<HttpResponse<String>> waiting =
                getAsync("/api/plans/" + plan + "/events?since=" + head.seq() + "&epoch=" + head.epoch() + "&wait=15");
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingLongPolls() == 1);
        assertFalse(waiting.isDone());
        PublishResult next = publish(plan, new StepOutput(0, "hello\n"));

        JsonNode page = JSON.readTree(waiting.get(15, TimeUnit.SECONDS).body());
        assertEquals(plan, page.get("plan_id").asText());
        assertTrue(page.get("recovered").asBoolean());
        assertEquals(next.seq(), page.get("seq").asLong());
        assertEquals(next.epoch(), page.get("epoch").asText());
        assertEquals(1, page.get("events").size());
        JsonNode event = page.get("events").get(0);
        assertEquals("step_output", event.get("event").asText());
        assertEquals(next.seq(), event.get("seq").asLong());
        assertEquals(
                "/api/plans/" + plan + "/events?since=" + next.seq() + "&epoch=" + next.epoch(),
                page.get("next").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingLongPolls() == 0);
    }

    @Test
    void waitEndsWithAnEmptyPageAndTheSameCursor() throws Exception {
        String plan = TestGateway.planId("lp-idle");
        PublishResult head = publish(plan, new PlanStarted("p", List.of("a")));
        HttpResponse<String> res =
                gw.get("/api/plans/" + plan + "/events?since=" + head.seq() + "&epoch=" + head.epoch() + "&wait=0.5");
        assertEquals(200, res.statusCode());
        JsonNode page = JSON.readTree(res.body());
        assertEquals(0, page.get("events").size());
        assertEquals(head.seq(), page.get("seq").asLong());
        assertEquals(head.epoch(), page.get("epoch").asText());
        assertTrue(page.get("recovered").asBoolean());
        assertEquals("no-cache", res.headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    void backlogIsPagedByLimitWithoutGapsOrDuplicates() throws Exception {
        String plan = TestGateway.planId("lp-pages");
        List<PlanEvent> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(new CustomEvent("tick", JSON.createObjectNode().put("i", i)));
        }
        List<PublishResult> results = gw.publisher().publishBatch(plan, batch).get(10, TimeUnit.SECONDS);
        String epoch = results.get(0).epoch();
        long since = 0;
        int pages = 0;
        List<Long> seen = new ArrayList<>();
        String path = "/api/plans/" + plan + "/events?since=0&epoch=" + epoch + "&limit=100";
        while (true) {
            JsonNode page = JSON.readTree(gw.get(path).body());
            pages++;
            for (JsonNode e : page.get("events")) {
                seen.add(e.get("seq").asLong());
            }
            since = page.get("seq").asLong();
            if (!page.get("more").asBoolean()) {
                break;
            }
            path = page.get("next").asText() + "&limit=100";
        }
        assertEquals(3, pages);
        assertEquals(250, since);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1, seen.get(i));
        }
        assertEquals(250, seen.size());
    }

    @Test
    void staleCursorIsResetWithTheSnapshot() throws Exception {
        String plan = TestGateway.planId("lp-stale");
        publish(plan, new PlanStarted("p", List.of("a", "b")));
        PublishResult head = publish(plan, new StepOutput(1, "x"));
        JsonNode page = JSON.readTree(gw.get("/api/plans/" + plan + "/events?since=1&epoch=zzzzzzzzzzzz&wait=5")
                .body());
        assertFalse(page.get("recovered").asBoolean());
        assertEquals(head.seq(), page.get("seq").asLong());
        assertEquals(head.epoch(), page.get("epoch").asText());
        assertEquals(head.seq(), page.get("snapshot").get("seq").asLong());
        assertEquals(2, page.get("snapshot").get("steps").size());
        assertEquals(0, page.get("events").size());

        JsonNode ahead = JSON.readTree(gw.get("/api/plans/" + plan + "/events?since=99&epoch=" + head.epoch())
                .body());
        assertFalse(ahead.get("recovered").asBoolean(), "a cursor ahead of the plan is reset too");
    }

    @Test
    void withoutCursorTheFirstPageIsTheSnapshot() throws Exception {
        String plan = TestGateway.planId("lp-fresh");
        PublishResult head = publish(plan, new PlanStarted("p", List.of("a")));
        JsonNode page = JSON.readTree(gw.get("/api/plans/" + plan + "/events").body());
        assertFalse(page.get("recovered").asBoolean());
        assertEquals(head.seq(), page.get("seq").asLong());
        assertEquals("p", page.get("snapshot").get("name").asText());
    }

    @Test
    void planWithoutEventsCanBeAwaitedFromSeqZero() throws Exception {
        String plan = TestGateway.planId("lp-empty");
        JsonNode first = JSON.readTree(gw.get("/api/plans/" + plan + "/events").body());
        assertFalse(first.get("recovered").asBoolean());
        assertTrue(first.get("snapshot").isNull());
        assertTrue(first.get("epoch").isNull());
        assertEquals(0, first.get("seq").asLong());

        // The first request's one-shot hub subscription may outlive its response for a moment:
        // count waiting long-polls (not hub subscriptions) and start from none.
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingLongPolls() == 0);
        CompletableFuture<HttpResponse<String>> waiting = getAsync("/api/plans/" + plan + "/events?since=0&wait=15");
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingLongPolls() == 1);
        PublishResult one = publish(plan, new PlanStarted("late", List.of("a")));
        JsonNode page = JSON.readTree(waiting.get(15, TimeUnit.SECONDS).body());
        assertEquals(1, page.get("events").size());
        assertEquals(1, one.seq());
        assertEquals(one.epoch(), page.get("epoch").asText());
    }

    @Test
    void badParametersAreTypedErrorsNamingTheParameter() throws Exception {
        String plan = TestGateway.planId("lp-bad");
        assertBad("/api/plans/" + plan + "/events?since=0&limit=0", "limit");
        assertBad("/api/plans/" + plan + "/events?since=0&wait=soon", "wait");
        assertBad("/api/plans/" + plan + "/events?since=-3", "since");
        assertBad("/api/plans/" + plan + "/events?epoch=abc", "since");
        HttpResponse<String> res = gw.get("/api/plans/a%20b/events");
        assertEquals(400, res.statusCode());
        assertEquals("invalid_plan_id", JSON.readTree(res.body()).get("code").asText());
    }

    @Test
    void aCursorBeyondAnyPossibleSeqIsABadRequestWithOrWithoutWaitNeverAnUnavailable() throws Exception {
        String plan = TestGateway.planId("lp-far");
        PublishResult head = publish(plan, new PlanStarted("p", List.of("a")));
        for (String wait : new String[] {"", "&wait=5"}) {
            assertBad("/api/plans/" + plan + "/events?since=9223372036854775807&epoch=" + head.epoch() + wait, "since");
            assertBad("/api/plans/" + plan + "/events?since=9007199254740992" + wait, "since");
        }
        // well-formed but ahead of the plan: a reset with the snapshot, as any stale cursor
        HttpResponse<String> res =
                gw.get("/api/plans/" + plan + "/events?since=9007199254740991&epoch=" + head.epoch());
        assertEquals(200, res.statusCode(), res.body());
        assertFalse(JSON.readTree(res.body()).get("recovered").asBoolean());
    }

    private static void assertBad(String path, String field) throws Exception {
        HttpResponse<String> res = gw.get(path);
        assertEquals(400, res.statusCode(), path);
        JsonNode body = JSON.readTree(res.body());
        assertEquals("bad_request", body.get("code").asText());
        assertEquals(field, body.get("field").asText());
    }

    private static PublishResult publish(String plan, PlanEvent event) throws Exception {
        return gw.publisher().publish(plan, event).get(10, TimeUnit.SECONDS);
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return gw.http.sendAsync(
                HttpRequest.newBuilder(gw.uri(path))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double waitingLongPolls() {
        // the gauge is registered with the HTTP metrics bean, created by the first HTTP request
        Gauge gauge = gw.context()
                .getBean(MeterRegistry.class)
                .find("stepcast.longpoll.waiting")
                .gauge();
        return gauge == null ? 0 : gauge.value();
    }
}
