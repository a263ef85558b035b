package io.stepcast.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.http.SseTestClient.SseEvent;
import io.stepcast.gateway.hub.PlanHub;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(10);
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(
                "stepcast.http.sse.heartbeat", "300ms",
                "stepcast.http.sse.max-pending-bytes", "65536"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void streamStartsWithSnapshotThenLiveFramesVerbatim() throws Exception {
        String plan = TestGateway.planId("sse-live");
        PublishResult head = publish(plan, new PlanStarted("p", List.of("a")));
        try (SseTestClient sse = SseTestClient.open(gw.http, gw.uri("/api/plans/" + plan + "/stream"))) {
            assertEquals(200, sse.response.statusCode());
            assertTrue(sse.response
                    .headers()
                    .firstValue("Content-Type")
                    .orElseThrow()
                    .startsWith("text/event-stream"));
            assertEquals(
                    "no-cache",
                    sse.response.headers().firstValue("Cache-Control").orElseThrow());

            SseEvent subscribed = sse.nextEvent(T);
            assertEquals("subscribed", subscribed.event());
            assertEquals(2000L, subscribed.retry());
            JsonNode sub = JSON.readTree(subscribed.data());
            assertEquals("subscribed", sub.get("type").asText());
            assertFalse(sub.get("recovered").asBoolean());

            SseEvent snapshot = sse.nextEvent(T);
            assertEquals("snapshot", snapshot.event());
            assertEquals(head.epoch() + ":" + head.seq(), snapshot.id());
            JsonNode snap = JSON.readTree(snapshot.data());
            assertEquals("snapshot", snap.get("type").asText());
            assertEquals(head.seq(), snap.get("state").get("seq").asLong());

            PublishResult next = publish(plan, new StepOutput(0, "é ünïcode\n"));
            SseEvent live = sse.nextEvent(T);
            assertEquals("step_output", live.event());
            assertEquals(next.epoch() + ":" + next.seq(), live.id());
            assertEquals(frameInLog(plan, next.seq()), live.data(), "the frame travels verbatim");
        }
    }

    @Test
    void resumesFromLastEventIdAfterADroppedConnectionWithoutGapOrDuplicate() throws Exception {
        String plan = TestGateway.planId("sse-resume");
        publish(plan, new PlanStarted("p", List.of("a")));
        String lastId;
        try (SseTestClient sse = SseTestClient.open(gw.http, gw.uri("/api/plans/" + plan + "/stream"))) {
            assertEquals("subscribed", sse.nextEvent(T).event());
            lastId = sse.nextEvent(T).id(); // the snapshot
            for (int i = 0; i < 5; i++) {
                publish(plan, new StepOutput(0, "before " + i));
            }
            for (int i = 0; i < 5; i++) {
                lastId = sse.nextEvent(T).id();
            }
        } // dropped
        List<PublishResult> missed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            missed.add(publish(plan, new StepOutput(0, "missed " + i)));
        }
        try (SseTestClient sse =
                SseTestClient.open(gw.http, gw.uri("/api/plans/" + plan + "/stream"), "Last-Event-ID", lastId)) {
            SseEvent subscribed = sse.nextEvent(T);
            assertEquals("subscribed", subscribed.event());
            assertTrue(JSON.readTree(subscribed.data()).get("recovered").asBoolean());
            for (PublishResult expected : missed) {
                SseEvent e = sse.nextEvent(T);
                assertEquals("step_output", e.event());
                assertEquals(expected.epoch() + ":" + expected.seq(), e.id());
            }
            PublishResult live = publish(plan, new StepOutput(0, "after"));
            assertEquals(live.epoch() + ":" + live.seq(), sse.nextEvent(T).id());
        }
    }

    @Test
    void querySinceAndEpochResumeToo() throws Exception {
        String plan = TestGateway.planId("sse-since");
        PublishResult first = publish(plan, new PlanStarted("p", List.of("a")));
        PublishResult second = publish(plan, new StepOutput(0, "x"));
        try (SseTestClient sse = SseTestClient.open(
                gw.http, gw.uri("/api/plans/" + plan + "/stream?since=" + first.seq() + "&epoch=" + first.epoch()))) {
            assertTrue(JSON.readTree(sse.nextEvent(T).data()).get("recovered").asBoolean());
            assertEquals(second.epoch() + ":" + second.seq(), sse.nextEvent(T).id());
        }
    }

    @Test
    void idleStreamGetsCommentHeartbeats() throws Exception {
        String plan = TestGateway.planId("sse-ping");
        publish(plan, new PlanStarted("p", List.of("a")));
        try (SseTestClient sse = SseTestClient.open(gw.http, gw.uri("/api/plans/" + plan + "/stream"))) {
            sse.nextEvent(T);
            sse.nextEvent(T);
            SseEvent ping = sse.next(T);
            assertEquals("ping", ping.comment());
        }
    }

    @Test
    void closedStreamsLeaveTheHubAndTheGauge() throws Exception {
        String plan = TestGateway.planId("sse-close");
        publish(plan, new PlanStarted("p", List.of("a")));
        PlanHub hub = gw.context().getBean(PlanHub.class);
        MeterRegistry meters = gw.context().getBean(MeterRegistry.class);
        await().atMost(T).until(() -> hub.activeSubscriptions() == 0); // earlier tests' streams have left
        int before = hub.activeSubscriptions();
        try (SseTestClient sse = SseTestClient.open(gw.http, gw.uri("/api/plans/" + plan + "/stream"))) {
            sse.nextEvent(T);
            assertEquals(before + 1, hub.activeSubscriptions());
            assertTrue(meters.get("stepcast.sse.streams").gauge().value() >= 1);
        }
        await().atMost(T).until(() -> hub.activeSubscriptions() == before);
        await().atMost(T).until(() -> meters.get("stepcast.sse.streams").gauge().value() == 0);
    }

    @Test
    void badCursorIsATypedError() throws Exception {
        HttpResponse<String> res =
                gw.get("/api/plans/" + TestGateway.planId("sse-bad") + "/stream", "Last-Event-ID", "nonsense:x");
        assertEquals(400, res.statusCode());
        JsonNode body = JSON.readTree(res.body());
        assertEquals("bad_request", body.get("code").asText());
        assertEquals("Last-Event-ID", body.get("field").asText());
    }

    @Test
    void aCursorBeyondAnyPossibleSeqIsABadRequestInTheQueryOrTheLastEventId() throws Exception {
        String plan = TestGateway.planId("sse-far");
        String[][] cases = {
            {"?since=9223372036854775807&epoch=x9f3k2ab01cd", null, "since"},
            {"?since=9007199254740992", null, "since"},
            {"", "x9f3k2ab01cd:9223372036854775807", "Last-Event-ID"}
        };
        for (String[] k : cases) {
            HttpResponse<String> res = k[1] == null
                    ? gw.get("/api/plans/" + plan + "/stream" + k[0])
                    : gw.get("/api/plans/" + plan + "/stream" + k[0], "Last-Event-ID", k[1]);
            assertEquals(400, res.statusCode(), k[0] + " " + k[1]);
            JsonNode body = JSON.readTree(res.body());
            assertEquals("bad_request", body.get("code").asText());
            assertEquals(k[2], body.get("field").asText());
        }
    }

    @Test
    void stalledReaderIsClosedAsSlowConsumerWhileOthersKeepReceiving() throws Exception {
        String plan = TestGateway.planId("sse-slow");
        publish(plan, new PlanStarted("p", List.of("a")));
        MeterRegistry meters = gw.context().getBean(MeterRegistry.class);
        double closesBefore =
                meters.counter("stepcast.sse.slow_consumer.closes").count();
        PlanHub hub = gw.context().getBean(PlanHub.class);
        // the earlier tests' streams leave the hub asynchronously once their clients close: count
        // from a quiet hub, or a late leave makes "before + 2" unreachable
        await().atMost(T).until(() -> hub.activeSubscriptions() == 0);
        int before = hub.activeSubscriptions();
        try (Socket stalled = new Socket();
                SseTestClient healthy = SseTestClient.open(gw.http, gw.uri("/api/plans/" + plan + "/stream"))) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("localhost", gw.server.getPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/plans/" + plan
                            + "/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = stalled.getInputStream(); // never read
            await().atMost(T).until(() -> hub.activeSubscriptions() == before + 2);
            healthy.nextEvent(T);
            healthy.nextEvent(T);

            String chunk = "x".repeat(60_000);
            long last = 0;
            for (int i = 0;
                    i < 600
                            && meters.counter("stepcast.sse.slow_consumer.closes")
                                            .count()
                                    == closesBefore;
                    i++) {
                last = publish(
                                plan,
                                new CustomEvent("blob", JSON.createObjectNode().put("chunk", chunk)))
                        .seq();
                SseEvent e = healthy.nextEvent(T); // the healthy reader keeps up
                assertEquals("blob", e.event());
            }
            assertTrue(
                    meters.counter("stepcast.sse.slow_consumer.closes").count() > closesBefore,
                    "the stalled stream was closed as a slow consumer");
            await().atMost(T).until(() -> hub.activeSubscriptions() == before + 1);
            PublishResult after = publish(plan, new StepOutput(0, "still here"));
            SseEvent e;
            do {
                e = healthy.nextEvent(T);
            } while (!(after.epoch() + ":" + after.seq()).equals(e.id()));
            assertNotNull(in);
            assertTrue(last > 0);
        }
    }

    private static String frameInLog(String plan, long seq) {
        RedisClient client = RedisClient.create(gw.redisUri);
        try (var c = client.connect()) {
            var entries = c.sync().xrange(RedisLayout.defaults().logKey(plan), Range.create(seq + "-0", seq + "-0"));
            return entries.get(0).getBody().get(RedisLayout.LOG_FIELD);
        } finally {
            client.shutdown();
        }
    }

    private static PublishResult publish(String plan, PlanEvent event) throws Exception {
        return gw.publisher().publish(plan, event).get(10, TimeUnit.SECONDS);
    }
}
