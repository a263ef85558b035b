package io.stepcast.bridge.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.PlanCompleted;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan index on a standalone Redis (the shared test Redis and an embedded Redis 6.2): the publish
 * script keeps each plan's summary in the same call, only when it changes, with change frames in the
 * index log and on its channel. Each test uses its own key prefix, so its index is its own.
 */
class PlanIndexIT {

    private static BridgeConfig config(String prefix) {
        return BridgeConfig.builder().prefix(prefix).build();
    }

    private static String prefix() {
        return "idx" + UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonNode summary(RedisInspector redis, String plan) {
        byte[] raw = redis.sync().hget(RedisInspector.b(redis.layout.indexSummariesKey()), RedisInspector.b(plan));
        return raw == null ? null : json(RedisInspector.s(raw));
    }

    static JsonNode json(String s) {
        try {
            return RedisInspector.JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    static long indexSeq(RedisInspector redis) {
        byte[] seq = redis.sync().hget(RedisInspector.b(redis.layout.indexMetaKey()), RedisInspector.b("seq"));
        return seq == null ? 0 : Long.parseLong(RedisInspector.s(seq));
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void theSummaryChangesOnlyWithPlanAndStatusEventsNeverWithOutput(String uri) {
        String prefix = prefix();
        String plan = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config(prefix));
                RedisInspector redis = new RedisInspector(uri, new RedisLayout(prefix))) {
            List<String> changes = redis.subscribeChannel(redis.layout.indexChannel());
            p.publish(plan, new PlanStarted("deploy", List.of("build", "test", "ship")))
                    .join();
            p.publish(plan, new StepStatus(0, "build", StepState.RUNNING)).join();
            for (int i = 0; i < 5; i++) {
                p.publish(plan, new StepOutput(0, "line " + i + "\n")).join();
            }
            p.publish(plan, new CustomEvent("note", null)).join();
            assertEquals(2, indexSeq(redis), "output and custom events left the index alone");
            p.publish(plan, new StepStatus(0, "build", StepState.RUNNING)).join();
            assertEquals(2, indexSeq(redis), "a status event that changes nothing leaves it alone");
            PublishResult done = p.publish(plan, new StepStatus(0, "build", StepState.SUCCEEDED))
                    .join();
            p.publish(plan, new StepOutput(1, "more")).join();

            assertEquals(3, indexSeq(redis));
            JsonNode s = summary(redis, plan);
            assertEquals(plan, s.get("plan_id").asText());
            assertEquals("deploy", s.get("name").asText());
            assertEquals("running", s.get("overall_status").asText());
            assertEquals(3, s.get("steps").get("total").asInt());
            assertEquals(2, s.get("steps").get("pending").asInt());
            assertEquals(1, s.get("steps").get("succeeded").asInt());
            assertEquals(0, s.get("steps").get("running").asInt());
            assertEquals(done.seq(), s.get("seq").asLong(), "seq of the event that last changed it");
            assertEquals(done.epoch(), s.get("epoch").asText());
            assertTrue(s.get("finished_at").isNull());
            assertEquals(
                    List.of(
                            "plan_id",
                            "name",
                            "overall_status",
                            "steps",
                            "started_at",
                            "finished_at",
                            "last_update",
                            "epoch",
                            "seq"),
                    fieldNames(s));
            double score = redis.sync().zscore(RedisInspector.b(redis.layout.indexKey()), RedisInspector.b(plan));
            assertEquals(
                    Instant.parse(s.get("last_update").asText()).toEpochMilli(), (long) score, "scored by last_update");

            p.publish(plan, new PlanCompleted(null)).join();
            assertEquals("succeeded", summary(redis, plan).get("overall_status").asText());
            await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() == 4);
            String epoch = RedisInspector.s(
                    redis.sync().hget(RedisInspector.b(redis.layout.indexMetaKey()), RedisInspector.b("epoch")));
            for (int i = 0; i < 4; i++) {
                JsonNode frame = json(changes.get(i));
                assertEquals("plan_update", frame.get("type").asText());
                assertEquals(i + 1, frame.get("seq").asLong());
                assertEquals(epoch, frame.get("epoch").asText());
                assertEquals(plan, frame.get("summary").get("plan_id").asText());
            }
            List<String[]> log = redis.streamLog(redis.layout.indexLogKey());
            assertEquals(4, log.size());
            assertEquals("4-0", log.get(3)[0]);
            assertEquals(changes.get(3), log.get(3)[1], "the log holds the frame byte for byte");
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void duplicatesLeaveTheIndexAloneAndANewPlanEpochRewritesTheEntry(String uri) {
        String prefix = prefix();
        String plan = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config(prefix));
                RedisInspector redis = new RedisInspector(uri, new RedisLayout(prefix))) {
            PublishResult first = p.publish(plan, new PlanStarted("a", List.of("x")).withEventId("start-1"))
                    .join();
            assertEquals(1, indexSeq(redis));
            PublishResult again = p.publish(plan, new PlanStarted("a", List.of("x")).withEventId("start-1"))
                    .join();
            assertTrue(again.duplicate());
            assertEquals(1, indexSeq(redis), "a duplicate changes nothing");

            // the plan's keys vanish (expired or deleted): the next event starts a new epoch
            redis.sync().del(RedisInspector.b(redis.layout.metaKey(plan)));
            PublishResult reborn = p.publish(plan, new StepOutput(0, "x")).join();
            assertNotEquals(first.epoch(), reborn.epoch());
            JsonNode s = summary(redis, plan);
            assertEquals(reborn.epoch(), s.get("epoch").asText(), "a new plan epoch is a change");
            assertEquals(1, s.get("seq").asLong());
            assertEquals(1, s.get("steps").get("total").asInt());
            assertEquals(2, indexSeq(redis));
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void aLostIndexMetaRotatesTheIndexEpochAndRestartsItsLog(String uri) {
        String prefix = prefix();
        String a = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config(prefix));
                RedisInspector redis = new RedisInspector(uri, new RedisLayout(prefix))) {
            p.publish(a, new PlanStarted("a", List.of("x"))).join();
            p.publish(a, new StepStatus(0, "x", StepState.RUNNING)).join();
            byte[] metaKey = RedisInspector.b(redis.layout.indexMetaKey());
            String before = RedisInspector.s(redis.sync().hget(metaKey, RedisInspector.b("epoch")));
            redis.sync().del(metaKey);
            p.publish(a, new StepStatus(0, "x", StepState.FAILED)).join();
            String after = RedisInspector.s(redis.sync().hget(metaKey, RedisInspector.b("epoch")));
            assertNotEquals(before, after);
            assertEquals(1, indexSeq(redis));
            List<String[]> log = redis.streamLog(redis.layout.indexLogKey());
            assertEquals(1, log.size(), "the old epoch's changes are gone with it");
            assertTrue(log.get(0)[1].contains("\"epoch\":\"" + after + "\""));
            assertEquals(1, summary(redis, a).get("steps").get("failed").asInt());
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void entriesOlderThanTheMetaTtlArePrunedWithAPlanRemovedChange(String uri) {
        String prefix = prefix();
        String old = RedisInspector.newPlanId();
        String ancient = RedisInspector.newPlanId();
        String fresh = RedisInspector.newPlanId();
        Instant now = Instant.now();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config(prefix));
                LettuceEventPublisher shortTtl = LettuceEventPublisher.create(
                        uri,
                        config(prefix).toBuilder()
                                .metaTtl(Duration.ofMinutes(30))
                                .build());
                RedisInspector redis = new RedisInspector(uri, new RedisLayout(prefix))) {
            List<String> changes = redis.subscribeChannel(redis.layout.indexChannel());
            p.publish(old, new PlanStarted("old", List.of()).withTs(now.minus(Duration.ofHours(1))))
                    .join();
            assertEquals(1, indexSeq(redis));
            shortTtl.publish(ancient, new PlanStarted("ancient", List.of()).withTs(now.minus(Duration.ofHours(2))))
                    .join();
            assertNull(summary(redis, ancient), "never indexed when already older than the meta TTL");
            shortTtl.publish(fresh, new PlanStarted("fresh", List.of())).join();

            assertNull(summary(redis, old));
            assertNull(redis.sync().zscore(RedisInspector.b(redis.layout.indexKey()), RedisInspector.b(old)));
            assertEquals("fresh", summary(redis, fresh).get("name").asText());
            assertEquals(1, redis.sync().zcard(RedisInspector.b(redis.layout.indexKey())));
            assertEquals(List.of(fresh), ids(redis), "pruned from the lexicographic index too");
            assertEquals(
                    0.0, redis.sync().zscore(RedisInspector.b(redis.layout.indexIdsKey()), RedisInspector.b(fresh)));
            await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() == 3);
            JsonNode removed = json(changes.get(1));
            assertEquals("plan_removed", removed.get("type").asText());
            assertEquals(old, removed.get("plan_id").asText());
            assertEquals(2, removed.get("seq").asLong());
            assertFalse(removed.has("summary"));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void indexRepairRebuildsLostEntriesFromThePlanStatesAndDropsEntriesWithoutState(String uri) {
        String prefix = prefix();
        String a = RedisInspector.newPlanId();
        String b = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config(prefix));
                RedisInspector redis = new RedisInspector(uri, new RedisLayout(prefix))) {
            p.publish(a, new PlanStarted("a", List.of("x", "y"))).join();
            p.publish(a, new StepStatus(1, "y", StepState.SKIPPED)).join();
            p.publish(a, new StepOutput(0, "tail")).join();
            p.publish(b, new PlanStarted("b", List.of())).join();
            String before = RedisInspector.s(
                    redis.sync().hget(RedisInspector.b(redis.layout.indexSummariesKey()), RedisInspector.b(a)));
            redis.sync().hdel(RedisInspector.b(redis.layout.indexSummariesKey()), RedisInspector.b(a));
            redis.sync().zrem(RedisInspector.b(redis.layout.indexKey()), RedisInspector.b(a));
            redis.sync().del(RedisInspector.b(redis.layout.stateKey(b)));

            assertEquals(
                    "plans 1 repaired 1 removed 1", ClusterIndexIT.repair(uri, prefix, "--redis-mode", "standalone"));
            JsonNode s = summary(redis, a);
            assertNull(summary(redis, b));
            String core = before.substring(0, before.indexOf(",\"last_update\""));
            assertTrue(
                    RedisInspector.s(redis.sync()
                                    .hget(RedisInspector.b(redis.layout.indexSummariesKey()), RedisInspector.b(a)))
                            .startsWith(core),
                    "the same summary, last_update/seq of the snapshot");
            assertEquals(1, s.get("steps").get("skipped").asInt());
            assertEquals(
                    "plans 1 repaired 0 removed 0", ClusterIndexIT.repair(uri, prefix, "--redis-mode", "standalone"));
        }
    }

    static List<String> ids(RedisInspector redis) {
        return redis.sync().zrange(RedisInspector.b(redis.layout.indexIdsKey()), 0, -1).stream()
                .map(RedisInspector::s)
                .toList();
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void indexRepairRebuildsTheLexicographicIdsOfAnIndexWrittenBeforeThem(String uri) {
        String prefix = prefix();
        String a = "b-" + RedisInspector.newPlanId();
        String b = "a-" + RedisInspector.newPlanId();
        String gone = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config(prefix));
                RedisInspector redis = new RedisInspector(uri, new RedisLayout(prefix))) {
            p.publish(a, new PlanStarted("a", List.of())).join();
            p.publish(b, new PlanStarted("b", List.of())).join();
            p.publish(gone, new PlanStarted("gone", List.of())).join();
            assertEquals(List.of(gone, b, a).stream().sorted().toList(), ids(redis));
            redis.sync().del(RedisInspector.b(redis.layout.indexIdsKey()));
            // a stale id (its plan gone) left by a publisher that predates ids: repair drops it too
            redis.sync().zadd(RedisInspector.b(redis.layout.indexIdsKey()), 0, RedisInspector.b("0-stale"));
            redis.sync().del(RedisInspector.b(redis.layout.stateKey(gone)));

            assertEquals(
                    "plans 2 repaired 0 removed 1", ClusterIndexIT.repair(uri, prefix, "--redis-mode", "standalone"));
            assertEquals(List.of(b, a), ids(redis), "every indexed plan, in plan-id order");
            assertEquals(2, redis.sync().zcount(RedisInspector.b(redis.layout.indexIdsKey()), 0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.stepcast.bridge.redis.RedisInspector#redisVersions")
    void stepsThatOutputCreatedAreCountedAtTheNextChangeInTheSameBatch(String uri) {
        String prefix = prefix();
        String plan = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config(prefix));
                RedisInspector redis = new RedisInspector(uri, new RedisLayout(prefix))) {
            p.publish(plan, new PlanStarted("a", List.of("x"))).join();
            p.publishBatch(
                            plan,
                            List.of(
                                    new StepOutput(3, "new step"),
                                    new StepStatus(0, "x", StepState.SUCCEEDED),
                                    new StepOutput(0, "after")))
                    .join();
            JsonNode s = summary(redis, plan);
            assertEquals(4, s.get("steps").get("total").asInt());
            assertEquals(3, s.get("steps").get("pending").asInt());
            assertEquals(1, s.get("steps").get("succeeded").asInt());
            assertEquals(3, s.get("seq").asLong(), "the status event changed it, not the output after it");
            assertEquals(2, indexSeq(redis));
        }
    }
}
