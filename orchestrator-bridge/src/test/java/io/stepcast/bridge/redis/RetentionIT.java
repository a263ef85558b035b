package io.stepcast.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Trimming, TTLs, and a clean new epoch after the plan's keys are gone. */
class RetentionIT {

    @Test
    void theLogIsTrimmedToAboutMaxLen() {
        String uri = TestRedis.shared().uri();
        String plan = RedisInspector.newPlanId();
        BridgeConfig config = BridgeConfig.builder().logMaxLen(10).build();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config);
                RedisInspector redis = new RedisInspector(uri)) {
            List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                futures.add(p.publish(plan, new StepOutput(0, "line " + i)));
            }
            futures.forEach(CompletableFuture::join);
            List<String[]> log = redis.log(plan);
            assertTrue(log.size() >= 10 && log.size() < 1000, "log length " + log.size());
            assertEquals("1000-0", log.get(log.size() - 1)[0], "the newest entries are kept");
            assertNotEquals("1-0", log.get(0)[0], "the oldest entries are trimmed");
            assertEquals(1000, redis.state(plan).get("seq").asLong());
        }
    }

    @Test
    void everyKeyGetsItsTtl() {
        String uri = TestRedis.shared().uri();
        String plan = RedisInspector.newPlanId();
        BridgeConfig config = BridgeConfig.builder()
                .logTtl(Duration.ofMinutes(10))
                .metaTtl(Duration.ofHours(2))
                .eventIdTtl(Duration.ofMinutes(5))
                .build();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri, config);
                RedisInspector redis = new RedisInspector(uri)) {
            p.publish(plan, new CustomEvent("x", null).withEventId("e1")).join();
            assertTtl(redis.pttl(redis.layout.logKey(plan)), Duration.ofMinutes(10));
            assertTtl(redis.pttl(redis.layout.metaKey(plan)), Duration.ofHours(2));
            assertTtl(redis.pttl(redis.layout.stateKey(plan)), Duration.ofHours(2));
            assertTtl(redis.pttl(redis.layout.eventIdKeyPrefix(plan) + "e1"), Duration.ofMinutes(5));
            // a later event refreshes the TTLs
            redis.sync().pexpire(RedisInspector.b(redis.layout.logKey(plan)), 1000);
            p.publish(plan, new CustomEvent("x", null)).join();
            assertTtl(redis.pttl(redis.layout.logKey(plan)), Duration.ofMinutes(10));
        }
    }

    private static void assertTtl(long pttl, Duration ttl) {
        assertTrue(pttl > ttl.toMillis() / 2 && pttl <= ttl.toMillis(), "pttl " + pttl + " for ttl " + ttl);
    }

    @Test
    void deletedKeysStartANewEpochAtSeqOneWithACleanLog() {
        String uri = TestRedis.shared().uri();
        String plan = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri);
                RedisInspector redis = new RedisInspector(uri)) {
            p.publish(plan, new PlanStarted("p", List.of("a"))).join();
            PublishResult before = p.publish(plan, new StepOutput(0, "old")).join();
            assertEquals(2, before.seq());
            // only the meta hash expires (e.g. evicted): log and state of the old epoch must not leak
            redis.sync().del(RedisInspector.b(redis.layout.metaKey(plan)));
            PublishResult after = p.publish(plan, new StepOutput(0, "new")).join();
            assertEquals(1, after.seq());
            assertNotEquals(before.epoch(), after.epoch());
            assertTrue(after.epoch().matches("[a-z0-9]{12}"), after.epoch());
            List<String[]> log = redis.log(plan);
            assertEquals(1, log.size());
            assertEquals("1-0", log.get(0)[0]);
            assertTrue(log.get(0)[1].contains("\"epoch\":\"" + after.epoch() + "\""));
            assertEquals(
                    "new",
                    redis.state(plan).get("steps").get(0).get("output_tail").asText());
            assertEquals(after.epoch(), redis.state(plan).get("epoch").asText());

            // everything deleted
            redis.sync()
                    .del(
                            RedisInspector.b(redis.layout.metaKey(plan)),
                            RedisInspector.b(redis.layout.logKey(plan)),
                            RedisInspector.b(redis.layout.stateKey(plan)));
            PublishResult third = p.publish(plan, new CustomEvent("x", null)).join();
            assertEquals(1, third.seq());
            assertNotEquals(after.epoch(), third.epoch());
        }
    }
}
