package io.stepcast.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.gateway.TestGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PollIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void unknownPlanIs404WithTypedErrorAndPollHeaders() throws Exception {
        HttpResponse<String> res = gw.get("/api/plans/" + TestGateway.planId("nobody"));
        assertEquals(404, res.statusCode());
        JsonNode body = JSON.readTree(res.body());
        assertEquals("error", body.get("type").asText());
        assertEquals("not_found", body.get("code").asText());
        assertTrue(body.get("message").asText().contains("no events"));
        assertEquals("2", res.headers().firstValue("X-Poll-Interval").orElseThrow());
        assertTrue(res.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    }

    @Test
    void invalidPlanIdIs400() throws Exception {
        HttpResponse<String> res = gw.get("/api/plans/bad%7Bplan%7D");
        assertEquals(400, res.statusCode());
        assertEquals("invalid_plan_id", JSON.readTree(res.body()).get("code").asText());
    }

    @Test
    void snapshotIsReturnedVerbatimWithETagAndRevalidatesTo304() throws Exception {
        String plan = TestGateway.planId("poll");
        gw.publisher()
                .publish(plan, new PlanStarted("build", List.of("compile", "test")))
                .get(10, TimeUnit.SECONDS);
        gw.publisher()
                .publish(plan, new StepStatus(0, "compile", StepState.RUNNING))
                .get(10, TimeUnit.SECONDS);

        HttpResponse<byte[]> first = gw.getBytes("/api/plans/" + plan);
        assertEquals(200, first.statusCode());
        assertArrayEquals(stateInRedis(plan), first.body(), "the body is the cached snapshot, byte for byte");
        JsonNode state = JSON.readTree(first.body());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals("\"" + state.get("epoch").asText() + ":" + state.get("seq").asLong() + "\"", etag);
        assertEquals(2, state.get("seq").asLong());
        assertEquals("no-cache", first.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("2", first.headers().firstValue("X-Poll-Interval").orElseThrow());

        HttpResponse<byte[]> again = gw.getBytes("/api/plans/" + plan, "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(etag, again.headers().firstValue("ETag").orElseThrow());
        assertEquals("2", again.headers().firstValue("X-Poll-Interval").orElseThrow());

        gw.publisher().publish(plan, new StepOutput(0, "ok\n")).get(10, TimeUnit.SECONDS);
        HttpResponse<byte[]> changed = gw.getBytes("/api/plans/" + plan, "If-None-Match", etag);
        assertEquals(200, changed.statusCode());
        assertEquals(
                "\"" + state.get("epoch").asText() + ":3\"",
                changed.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void eTagAlwaysNamesTheBodyItComesWithWhileEventsFlow() throws Exception {
        String plan = TestGateway.planId("flow");
        gw.publisher().publish(plan, new PlanStarted("flow", List.of("a"))).get(10, TimeUnit.SECONDS);
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread writer = new Thread(
                () -> {
                    int i = 0;
                    while (publishing.get() && i < 5_000) {
                        try {
                            gw.publisher()
                                    .publish(plan, new StepOutput(0, "line " + i++ + "\n"))
                                    .get(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            return;
                        }
                    }
                },
                "poll-it-writer");
        writer.start();
        Set<String> etagsSeen = new HashSet<>();
        int notModified = 0;
        String etag = null;
        try {
            for (int round = 0; round < 400 && (etagsSeen.size() < 5 || notModified == 0); round++) {
                HttpResponse<byte[]> res = etag == null
                        ? gw.getBytes("/api/plans/" + plan)
                        : gw.getBytes("/api/plans/" + plan, "If-None-Match", etag);
                if (res.statusCode() == 304) {
                    notModified++;
                    assertEquals(etag, res.headers().firstValue("ETag").orElseThrow());
                    continue;
                }
                assertEquals(200, res.statusCode());
                JsonNode body = JSON.readTree(res.body());
                etag = res.headers().firstValue("ETag").orElseThrow();
                assertEquals(
                        "\"" + body.get("epoch").asText() + ":"
                                + body.get("seq").asLong() + "\"",
                        etag,
                        "ETag must match the body it comes with");
                etagsSeen.add(etag);
                if (etagsSeen.size() >= 5) {
                    publishing.set(false);
                }
            }
        } finally {
            publishing.set(false);
            writer.join(10_000);
        }
        assertTrue(etagsSeen.size() >= 5, "saw " + etagsSeen.size() + " versions");
        // the writer stopped: the last version revalidates
        HttpResponse<byte[]> latest = gw.getBytes("/api/plans/" + plan);
        String finalTag = latest.headers().firstValue("ETag").orElseThrow();
        assertEquals(
                304,
                gw.getBytes("/api/plans/" + plan, "If-None-Match", finalTag).statusCode());
    }

    @Test
    void dashboardPollPathServesTheSameSnapshotWithStatusAtTopLevel() throws Exception {
        String plan = TestGateway.planId("dash");
        gw.publisher()
                .publish(plan, new PlanStarted("deploy", List.of("build", "ship")))
                .get(10, TimeUnit.SECONDS);
        gw.publisher()
                .publish(plan, new StepStatus(0, "build", StepState.SUCCEEDED))
                .get(10, TimeUnit.SECONDS);

        HttpResponse<byte[]> dash = gw.getBytes("/api/dashboard/plan/" + plan + "/poll");
        HttpResponse<byte[]> plain = gw.getBytes("/api/plans/" + plan);
        assertEquals(200, dash.statusCode());
        assertArrayEquals(plain.body(), dash.body());
        JsonNode body = JSON.readTree(dash.body());
        assertTrue(body.get("steps").isArray());
        assertEquals(2, body.get("steps").size());
        assertEquals("succeeded", body.get("steps").get(0).get("status").asText());
        assertNotNull(body.get("overall_status").asText());
        assertTrue(body.hasNonNull("last_update"));
        assertEquals("2", dash.headers().firstValue("X-Poll-Interval").orElseThrow());
        assertEquals(plain.headers().firstValue("ETag"), dash.headers().firstValue("ETag"));
        String etag = dash.headers().firstValue("ETag").orElseThrow();
        assertEquals(
                304,
                gw.getBytes("/api/dashboard/plan/" + plan + "/poll", "If-None-Match", etag)
                        .statusCode());
    }

    @Test
    void pollRequestsAreCountedByEndpointAndStatus() throws Exception {
        MeterRegistry meters = gw.context().getBean(MeterRegistry.class);
        double before = meters.counter("stepcast.poll.requests", "endpoint", "dashboard", "status", "404")
                .count();
        gw.get("/api/dashboard/plan/" + TestGateway.planId("none") + "/poll");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters.counter("stepcast.poll.requests", "endpoint", "dashboard", "status", "404")
                                .count()
                        == before + 1);
    }

    private static byte[] stateInRedis(String plan) {
        RedisClient client = RedisClient.create(gw.redisUri);
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            return c.sync().get(RedisLayout.defaults().stateKey(plan).getBytes(StandardCharsets.UTF_8));
        } finally {
            client.shutdown();
        }
    }
}
