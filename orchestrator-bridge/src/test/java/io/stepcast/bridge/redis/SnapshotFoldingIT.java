package io.stepcast.bridge.redis;

import static io.stepcast.bridge.redis.RedisInspector.newPlanId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.PlanCancelled;
import io.stepcast.bridge.event.PlanCompleted;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanFailed;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every core event folds into the snapshot as PROTOCOL.md §3 says, on Redis 7 and 6.2. */
class SnapshotFoldingIT {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static JsonNode publish(String uri, BridgeConfig config, String plan, PlanEvent... events) {
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config);
                RedisInspector redis = new RedisInspector(uri)) {
            for (PlanEvent e : events) {
                p.publish(plan, e).join();
            }
            return redis.state(plan);
        }
    }

    private static JsonNode publish(String uri, String plan, PlanEvent... events) {
        return publish(uri, BridgeConfig.defaults(), plan, events);
    }

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void planStartedWithNoStepsKeepsStepsAnArray(String uri) {
        String plan = newPlanId();
        JsonNode s = publish(uri, plan, new PlanStarted("empty", List.of()).withTs(t(0)));
        assertTrue(s.get("steps").isArray(), s.toString());
        assertEquals(0, s.get("steps").size());
        assertEquals("running", s.get("overall_status").asText());
        assertEquals(plan, s.get("plan_id").asText());
        assertEquals(1, s.get("seq").asLong());
        assertEquals("2026-01-01T00:00:00.000Z", s.get("last_update").asText());
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void customEventBeforeAnythingGivesAPendingSnapshotWithEmptySteps(String uri) {
        String plan = newPlanId();
        try (RedisInspector redis = new RedisInspector(uri)) {
            JsonNode s = publish(uri, plan, new CustomEvent("batch:start", null));
            assertEquals("pending", s.get("overall_status").asText());
            assertTrue(redis.rawState(plan).contains("\"steps\":[]"), redis.rawState(plan));
            assertTrue(s.get("name").isNull());
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void stepStatusesSetTimestampsAndErrors(String uri) {
        String plan = newPlanId();
        JsonNode s = publish(
                uri,
                plan,
                new PlanStarted("build", List.of("compile", "test", "deploy")).withTs(t(0)),
                new StepStatus(0, null, StepState.RUNNING).withTs(t(1)),
                new StepStatus(0, null, StepState.SUCCEEDED).withTs(t(2)),
                new StepStatus(1, "unit tests", StepState.RUNNING).withTs(t(3)),
                new StepStatus(1, null, StepState.FAILED, "2 failures").withTs(t(4)),
                new StepStatus(2, null, StepState.SKIPPED).withTs(t(5)));
        JsonNode steps = s.get("steps");
        assertEquals(3, steps.size());
        assertStep(
                steps.get(0), 0, "compile", "succeeded", null, "2026-01-01T00:00:01.000Z", "2026-01-01T00:00:02.000Z");
        assertStep(
                steps.get(1),
                1,
                "unit tests",
                "failed",
                "2 failures",
                "2026-01-01T00:00:03.000Z",
                "2026-01-01T00:00:04.000Z");
        assertStep(steps.get(2), 2, "deploy", "skipped", null, null, "2026-01-01T00:00:05.000Z");
        assertEquals("running", s.get("overall_status").asText());
        assertEquals(6, s.get("seq").asLong());
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void aRetriedStepRestartsItsClock(String uri) {
        String plan = newPlanId();
        JsonNode s = publish(
                uri,
                plan,
                new StepStatus(0, "flaky", StepState.RUNNING).withTs(t(1)),
                new StepStatus(0, null, StepState.FAILED, "boom").withTs(t(2)),
                new StepStatus(0, null, StepState.RUNNING).withTs(t(3)));
        assertStep(s.get("steps").get(0), 0, "flaky", "running", null, "2026-01-01T00:00:03.000Z", null);
        assertEquals("running", s.get("overall_status").asText());
        assertEquals("2026-01-01T00:00:01.000Z", s.get("started_at").asText());
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void eventsBeyondTheKnownStepsExtendTheList(String uri) {
        String plan = newPlanId();
        JsonNode s = publish(uri, plan, new PlanStarted("p", List.of("a")), new StepOutput(3, "late"));
        JsonNode steps = s.get("steps");
        assertEquals(4, steps.size());
        assertStep(steps.get(2), 2, null, "pending", null, null, null);
        assertEquals("late", steps.get(3).get("output_tail").asText());
        assertEquals(3, steps.get(3).get("index").asInt());
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void outputTailKeepsTheLastBytesWithoutSplittingCharacters(String uri) {
        String plan = newPlanId();
        BridgeConfig tail9 = BridgeConfig.builder().outputTailBytes(9).build();
        // "€" is 3 bytes, "😀" 4: the last 9 bytes of "ab€€€😀" start inside the second "€", which is dropped
        JsonNode s =
                publish(uri, tail9, plan, new StepOutput(0, "ab€"), new StepOutput(0, "€€"), new StepOutput(0, "😀"));
        String tail = s.get("steps").get(0).get("output_tail").asText();
        assertEquals("€😀", tail);
        assertTrue(tail.getBytes(StandardCharsets.UTF_8).length <= 9);
        JsonNode whole = publish(uri, tail9, newPlanId(), new StepOutput(0, "012345678"));
        assertEquals("012345678", whole.get("steps").get(0).get("output_tail").asText());
        JsonNode none =
                publish(uri, BridgeConfig.builder().outputTailBytes(0).build(), newPlanId(), new StepOutput(0, "x"));
        assertEquals("", none.get("steps").get(0).get("output_tail").asText());
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void planCompletedKeepsTheSummaryByteForByte(String uri) throws Exception {
        String plan = newPlanId();
        JsonNode summary = RedisInspector.JSON
                .reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree("{\"big\":12345678901234567890,\"pi\":3.141592653589793238,\"none\":[],\"obj\":{}}");
        try (RedisInspector redis = new RedisInspector(uri)) {
            JsonNode s =
                    publish(uri, plan, new PlanStarted("p", List.of("a")), new PlanCompleted(summary).withTs(t(9)));
            assertEquals("succeeded", s.get("overall_status").asText());
            assertEquals("2026-01-01T00:00:09.000Z", s.get("finished_at").asText());
            assertTrue(
                    redis.rawState(plan)
                            .contains(
                                    "\"summary\":{\"big\":12345678901234567890,\"pi\":3.141592653589793238,\"none\":[],\"obj\":{}}"),
                    redis.rawState(plan));
            // a later event re-encodes the snapshot: the summary survives unchanged
            publish(uri, plan, new CustomEvent("after", null));
            assertTrue(redis.rawState(plan).contains("\"big\":12345678901234567890"), redis.rawState(plan));
            // a restart clears it
            JsonNode restarted = publish(uri, plan, new PlanStarted("p", List.of("a", "b")));
            assertFalse(restarted.has("summary"));
            assertEquals(2, restarted.get("steps").size());
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void planFailedRecordsTheError(String uri) {
        String plan = newPlanId();
        JsonNode s = publish(
                uri,
                plan,
                new PlanStarted("p", List.of("a")),
                new StepStatus(0, null, StepState.RUNNING),
                new PlanFailed("out of quota \"x\" / y"));
        assertEquals("failed", s.get("overall_status").asText());
        assertEquals("out of quota \"x\" / y", s.get("error").asText());
        assertEquals("running", s.get("steps").get(0).get("status").asText());
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void planCancelledCancelsUnfinishedSteps(String uri) {
        String plan = newPlanId();
        JsonNode s = publish(
                uri,
                plan,
                new PlanStarted("p", List.of("a", "b", "c")),
                new StepStatus(0, null, StepState.SUCCEEDED).withTs(t(1)),
                new StepStatus(1, null, StepState.RUNNING),
                new PlanCancelled("user pressed stop").withTs(t(7)));
        assertEquals("cancelled", s.get("overall_status").asText());
        assertEquals("user pressed stop", s.get("reason").asText());
        assertEquals("succeeded", s.get("steps").get(0).get("status").asText());
        assertEquals(
                "2026-01-01T00:00:01.000Z",
                s.get("steps").get(0).get("finished_at").asText());
        for (int i = 1; i < 3; i++) {
            assertEquals("cancelled", s.get("steps").get(i).get("status").asText());
            assertEquals(
                    "2026-01-01T00:00:07.000Z",
                    s.get("steps").get(i).get("finished_at").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void snapshotSeqAndEpochMatchTheLog(String uri) {
        String plan = newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri);
                RedisInspector redis = new RedisInspector(uri)) {
            p.publish(plan, new PlanStarted("p", List.of("a"))).join();
            PublishResult last = p.publish(plan, new CustomEvent("note", null)).join();
            JsonNode s = redis.state(plan);
            assertEquals(last.seq(), s.get("seq").asLong());
            assertEquals(last.epoch(), s.get("epoch").asText());
            assertEquals(last.epoch(), redis.meta(plan, "epoch"));
        }
    }

    private static void assertStep(
            JsonNode step, int index, String name, String status, String error, String startedAt, String finishedAt) {
        assertEquals(index, step.get("index").asInt(), step.toString());
        assertEquals(name, step.get("name").isNull() ? null : step.get("name").asText(), step.toString());
        assertEquals(status, step.get("status").asText(), step.toString());
        assertEquals(
                error, step.get("error").isNull() ? null : step.get("error").asText(), step.toString());
        assertEquals(
                startedAt,
                step.get("started_at").isNull() ? null : step.get("started_at").asText(),
                step.toString());
        assertEquals(
                finishedAt,
                step.get("finished_at").isNull()
                        ? null
                        : step.get("finished_at").asText(),
                step.toString());
    }
}
