package io.stepcast.bridge.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishRejectedException;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Publishing survives a real Redis restart: buffered, retried in order, delivered exactly once. */
class OutageIT {

    private static final BridgeConfig FAST_RETRY = BridgeConfig.builder()
            .backoffMin(Duration.ofMillis(10))
            .backoffMax(Duration.ofMillis(200))
            .build();

    private static CustomEvent numbered(int n) {
        return new CustomEvent("n", JsonNodeFactory.instance.objectNode().put("n", n));
    }

    private static void awaitAll(List<CompletableFuture<PublishResult>> futures) {
        await().atMost(Duration.ofSeconds(60)).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
    }

    @Test
    void eventsPublishedWhileRedisIsDownAreDeliveredInOrderExactlyOnceAfterRestart() {
        try (RedisProcess redis =
                        TestRedis.startThrowaway(RedisProcess.Options.defaults().withAof());
                LettuceEventPublisher p = LettuceEventPublisher.create(redis.uri(), FAST_RETRY)) {
            String a = RedisInspector.newPlanId();
            String b = RedisInspector.newPlanId();
            assertEquals(1, p.publish(a, numbered(-1)).join().seq());
            redis.stop();

            List<CompletableFuture<PublishResult>> futuresA = new ArrayList<>();
            List<CompletableFuture<PublishResult>> futuresB = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                futuresA.add(p.publish(a, numbered(i)));
                futuresB.add(p.publish(b, numbered(i)));
            }
            assertTrue(
                    futuresA.stream().noneMatch(CompletableFuture::isDone),
                    "nothing can be acknowledged while Redis is down");
            assertEquals(120, p.pendingEvents());

            redis.start();
            awaitAll(futuresA);
            awaitAll(futuresB);
            for (int i = 0; i < 60; i++) {
                assertEquals(i + 2, futuresA.get(i).join().seq(), "plan a keeps publish order");
                assertEquals(i + 1, futuresB.get(i).join().seq(), "plan b keeps publish order");
            }
            assertEquals(0, p.pendingEvents());
            try (RedisInspector inspect = new RedisInspector(redis.uri())) {
                List<String[]> logA = inspect.log(a);
                assertEquals(61, logA.size(), "exactly once");
                for (int i = 0; i < 60; i++) {
                    assertTrue(logA.get(i + 1)[1].endsWith("\"data\":{\"n\":" + i + "}}"), logA.get(i + 1)[1]);
                }
                assertEquals(60, inspect.log(b).size());
            }
        }
    }

    @Test
    void aKilledRedisLosesNothingAcknowledgedWithAof() {
        try (RedisProcess redis =
                        TestRedis.startThrowaway(RedisProcess.Options.defaults().withAof());
                LettuceEventPublisher p = LettuceEventPublisher.create(redis.uri(), FAST_RETRY)) {
            String plan = RedisInspector.newPlanId();
            List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(p.publish(plan, numbered(i)));
            }
            redis.kill();
            for (int i = 50; i < 100; i++) {
                futures.add(p.publish(plan, numbered(i)));
            }
            redis.start();
            awaitAll(futures);
            for (int i = 0; i < 100; i++) {
                assertEquals(i + 1, futures.get(i).join().seq());
            }
            try (RedisInspector inspect = new RedisInspector(redis.uri())) {
                assertEquals(100, inspect.log(plan).size());
            }
        }
    }

    @Test
    void aFullBufferRejectsImmediatelyAndKeepsWhatItHolds() {
        BridgeConfig small = FAST_RETRY.toBuilder().retryBufferCapacity(10).build();
        try (RedisProcess redis = TestRedis.startThrowaway();
                LettuceEventPublisher p = LettuceEventPublisher.create(redis.uri(), small)) {
            String plan = RedisInspector.newPlanId();
            p.publish(plan, numbered(0)).join();
            redis.stop();
            List<CompletableFuture<PublishResult>> held = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                held.add(p.publish(plan, numbered(i)));
            }
            CompletableFuture<PublishResult> rejected = p.publish(plan, numbered(11));
            assertTrue(rejected.isCompletedExceptionally(), "rejected at once, not queued");
            PublishRejectedException e = assertInstanceOf(
                    PublishRejectedException.class,
                    assertThrows(CompletionException.class, rejected::join).getCause());
            assertFalse(e.mayHaveBeenPublished());
            assertTrue(e.getMessage().contains("retry buffer full"), e.getMessage());

            redis.start(); // no AOF: a fresh, empty Redis and so a new epoch
            awaitAll(held);
            for (int i = 0; i < 10; i++) {
                assertEquals(i + 1, held.get(i).join().seq());
            }
            assertEquals(11, p.publish(plan, numbered(11)).join().seq(), "room again after delivery");
        }
    }

    @Test
    void aPublisherCreatedWhileRedisIsDownDeliversOnceItIsUp() {
        try (RedisProcess redis = TestRedis.startThrowaway()) {
            redis.stop();
            try (LettuceEventPublisher p = LettuceEventPublisher.create(redis.uri(), FAST_RETRY)) {
                String plan = RedisInspector.newPlanId();
                List<CompletableFuture<PublishResult>> futures =
                        List.of(p.publish(plan, numbered(1)), p.publish(plan, numbered(2)));
                redis.start();
                awaitAll(futures);
                assertEquals(2, futures.get(1).join().seq());
            }
        }
    }

    @Test
    void closeFailsWhatCouldNotBeDeliveredInTime() {
        BridgeConfig quickClose =
                FAST_RETRY.toBuilder().closeTimeout(Duration.ofMillis(100)).build();
        try (RedisProcess redis = TestRedis.startThrowaway()) {
            LettuceEventPublisher p = LettuceEventPublisher.create(redis.uri(), quickClose);
            String plan = RedisInspector.newPlanId();
            p.publish(plan, numbered(0)).join();
            redis.stop();
            List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(p.publish(plan, numbered(i)));
            }
            p.close();
            awaitAll(futures);
            for (CompletableFuture<PublishResult> f : futures) {
                assertInstanceOf(
                        PublishRejectedException.class,
                        assertThrows(CompletionException.class, f::join).getCause());
            }
            assertEquals(0, p.pendingEvents());
        }
    }
}
