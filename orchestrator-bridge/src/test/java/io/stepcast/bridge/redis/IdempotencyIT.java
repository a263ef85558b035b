package io.stepcast.bridge.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same event_id in one epoch is appended and published once; retries get the original seq. */
class IdempotencyIT {

    @Test
    void republishingAnEventIdReturnsTheOriginalSeqWithoutAppendingOrPublishing() {
        String uri = TestRedis.shared().uri();
        String plan = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri);
                RedisInspector redis = new RedisInspector(uri)) {
            List<String> channel = redis.subscribe(plan);
            PublishResult first = p.publish(plan, new StepOutput(0, "once").withEventId("evt-1"))
                    .join();
            p.publish(plan, new StepOutput(0, "other")).join();
            PublishResult again = p.publish(plan, new StepOutput(0, "once").withEventId("evt-1"))
                    .join();
            assertEquals(1, first.seq());
            assertFalse(first.duplicate());
            assertEquals(1, again.seq());
            assertTrue(again.duplicate());
            assertEquals(first.epoch(), again.epoch());

            PublishResult sentinel =
                    p.publish(plan, new CustomEvent("sentinel", null)).join();
            assertEquals(3, sentinel.seq());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> channel.stream().anyMatch(f -> f.contains("\"sentinel\"")));
            assertEquals(3, channel.size(), "the duplicate was not published");
            assertEquals(3, redis.log(plan).size(), "the duplicate was not appended");
            assertEquals(
                    "onceother",
                    redis.state(plan).get("steps").get(0).get("output_tail").asText(),
                    "the duplicate was not folded");
            assertEquals(
                    first.epoch() + ":1",
                    RedisInspector.s(
                            redis.sync().get(RedisInspector.b(redis.layout.eventIdKeyPrefix(plan) + "evt-1"))));
        }
    }

    @Test
    void duplicatesInsideOneBatchAreAppendedOnce() {
        String uri = TestRedis.shared().uri();
        String plan = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri);
                RedisInspector redis = new RedisInspector(uri)) {
            List<PublishResult> r = p.publishBatch(
                            plan,
                            List.of(
                                    new CustomEvent("a", null).withEventId("x"),
                                    new CustomEvent("b", null),
                                    new CustomEvent("a", null).withEventId("x")))
                    .join();
            assertEquals(List.of(1L, 2L, 1L), r.stream().map(PublishResult::seq).toList());
            assertEquals(
                    List.of(false, false, true),
                    r.stream().map(PublishResult::duplicate).toList());
            assertEquals(2, redis.log(plan).size());
        }
    }

    @Test
    void anEventIdFromAnOldEpochIsNotADuplicate() {
        String uri = TestRedis.shared().uri();
        String plan = RedisInspector.newPlanId();
        try (LettuceEventPublisher p = LettuceEventPublisher.create(uri);
                RedisInspector redis = new RedisInspector(uri)) {
            PublishResult old =
                    p.publish(plan, new CustomEvent("a", null).withEventId("x")).join();
            redis.sync().del(RedisInspector.b(redis.layout.metaKey(plan)));
            PublishResult fresh =
                    p.publish(plan, new CustomEvent("a", null).withEventId("x")).join();
            assertFalse(fresh.duplicate());
            assertEquals(1, fresh.seq());
            assertTrue(!fresh.epoch().equals(old.epoch()));
        }
    }
}
