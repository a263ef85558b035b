package io.stepcast.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.StepOutput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Batch publish, NOSCRIPT recovery, and the raw calling convention a non-Java publisher uses. */
class BatchAndScriptIT {

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void aBatchIsAppendedInOrderInOneCall(String uri) {
        String plan = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri);
                RedisInspector redis = new RedisInspector(uri)) {
            List<PlanEvent> events = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                events.add(new StepOutput(0, "line " + i + "\n"));
            }
            List<PublishResult> results = p.publishBatch(plan, events).join();
            for (int i = 0; i < 200; i++) {
                assertEquals(i + 1, results.get(i).seq());
            }
            List<String[]> log = redis.log(plan);
            assertEquals(200, log.size());
            assertTrue(log.get(199)[1].contains("line 199"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void aFlushedScriptCacheIsRecoveredWithEval(String uri) {
        String plan = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri);
                RedisInspector redis = new RedisInspector(uri)) {
            p.publish(plan, new CustomEvent("a", null)).join();
            redis.sync().scriptFlush();
            assertEquals(2, p.publish(plan, new CustomEvent("b", null)).join().seq());
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void rawCallsFollowTheDocumentedConvention(String uri) {
        String plan = RedisInspector.newPlanId();
        try (RedisInspector redis = new RedisInspector(uri)) {
            List<Object> reply = eval(
                    redis,
                    plan,
                    "abcdefghij12",
                    "plan_completed",
                    "",
                    "2026-01-01T00:00:00.000Z",
                    "{ \"summary\" : {\"n\": 1} }",
                    "batch:start",
                    "my-id",
                    "2026-01-01T00:00:01.000Z",
                    "{\"k\":[1,2]}");
            assertEquals("abcdefghij12", RedisInspector.s((byte[]) reply.get(0)));
            assertEquals(List.of(1L, 0L, 2L, 0L), reply.subList(1, 5));
            assertEquals(
                    "{\"type\":\"event\",\"plan_id\":\"" + plan + "\",\"seq\":2,\"epoch\":\"abcdefghij12\","
                            + "\"event\":\"batch:start\",\"ts\":\"2026-01-01T00:00:01.000Z\",\"data\":{\"k\":[1,2]}}",
                    redis.log(plan).get(1)[1]);
            assertEquals("succeeded", redis.state(plan).get("overall_status").asText());
            assertEquals(1, redis.state(plan).get("summary").get("n").asInt());
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void anInvalidEventInARawBatchWritesNothing(String uri) {
        String plan = RedisInspector.newPlanId();
        try (RedisInspector redis = new RedisInspector(uri)) {
            RedisCommandExecutionException e = assertThrows(
                    RedisCommandExecutionException.class,
                    () -> eval(
                            redis,
                            plan,
                            "abcdefghij12",
                            "step_output",
                            "",
                            "2026-01-01T00:00:00.000Z",
                            "{\"step_index\":0,\"chunk\":\"ok\"}",
                            "step_status",
                            "",
                            "2026-01-01T00:00:01.000Z",
                            "{\"step_index\":0,\"status\":\"exploded\"}"));
            assertTrue(e.getMessage().contains("event 2 (step_status): data.status"), e.getMessage());
            assertNull(redis.meta(plan, "seq"));
            assertEquals(0, redis.log(plan).size());
            for (String[] bad : new String[][] {
                {"Bad-Name", "", "2026-01-01T00:00:00.000Z", "{}"},
                {"x", "has space", "2026-01-01T00:00:00.000Z", "{}"},
                {"x", "", "2026-01-01 00:00:00", "{}"},
                {"x", "", "2026-01-01T00:00:00.000Z", "[1]"},
                {"step_output", "", "2026-01-01T00:00:00.000Z", "{\"step_index\":10000,\"chunk\":\"x\"}"},
                {"plan_started", "", "2026-01-01T00:00:00.000Z", "{\"name\":\"p\",\"steps\":[1]}"}
            }) {
                assertThrows(RedisCommandExecutionException.class, () -> eval(redis, plan, "abcdefghij12", bad));
            }
            assertThrows(
                    RedisCommandExecutionException.class,
                    () -> eval(redis, plan, "NOT-AN-EPOCH", "x", "", "2026-01-01T00:00:00.000Z", "{}"));
            assertNull(redis.meta(plan, "seq"));
        }
    }

    private static List<Object> eval(RedisInspector redis, String plan, String epoch, String... events) {
        List<byte[]> args = new ArrayList<>(List.of(
                RedisInspector.b(plan),
                RedisInspector.b(redis.layout.channel(plan)),
                RedisInspector.b(redis.layout.eventIdKeyPrefix(plan)),
                RedisInspector.b(epoch),
                RedisInspector.b("10000"),
                RedisInspector.b("86400000"),
                RedisInspector.b("2592000000"),
                RedisInspector.b("86400000"),
                RedisInspector.b("4096"),
                RedisInspector.b(""),
                RedisInspector.b(""),
                RedisInspector.b("")));
        for (String e : events) {
            args.add(RedisInspector.b(e));
        }
        byte[][] keys = {
            RedisInspector.b(redis.layout.metaKey(plan)),
            RedisInspector.b(redis.layout.logKey(plan)),
            RedisInspector.b(redis.layout.stateKey(plan))
        };
        return redis.sync().eval(PublishScript.source(), ScriptOutputType.MULTI, keys, args.toArray(new byte[0][]));
    }
}
