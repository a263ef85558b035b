package io.stepcast.gateway.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub when Redis misbehaves: each test owns a throwaway Redis process it may kill. */
class PlanHubResilienceIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        closeables.add(resource);
        return resource;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void liveHolesFromKilledPubSubConnectionsAreRepairedForEverySubscriber() {
        RedisProcess redis = own(TestRedis.startThrowaway());
        HubInstance gateway = own(new HubInstance(redis.uri()));
        Publishing bridge = own(new Publishing(redis.uri()));
        RedisClient adminClient = RedisClient.create(redis.uri());
        closeables.add(adminClient::shutdown);
        RedisCommands<String, String> admin = own(adminClient.connect()).sync();
        AtomicInteger downs = new AtomicInteger();
        gateway.health.addListener((link, up) -> {
            if (!up) {
                downs.incrementAndGet();
            }
        });

        String plan = Publishing.newPlan("holes");
        List<RecordingSubscriber> subscribers =
                List.of(new RecordingSubscriber(), new RecordingSubscriber(), new RecordingSubscriber());
        subscribers.forEach(s -> gateway.hub.subscribe(s, plan, null));
        await().atMost(WAIT).until(() -> subscribers.stream().allMatch(s -> s.lastSubscribed() != null));
        int total = 4_000;
        // Kill the pub/sub connection mid-stream, then publish at once, while it reconnects: the events
        // published in that window never arrive by pub/sub and must come from the log. (A kill timed
        // only by progress can land after a fast publisher has finished, leaving no hole to repair.)
        PublishResult last = null;
        for (int round = 1; round <= 4; round++) {
            bridge.publish(plan, 500);
            admin.clientKill(KillArgs.Builder.typePubsub());
            last = bridge.publish(plan, 500);
        }
        assertEquals(total, last.seq());
        for (RecordingSubscriber s : subscribers) {
            PlanHubIT.awaitExactly(s, total);
            assertEquals(range(1, total), s.seqs(), s.id());
            assertEquals(1, s.subscribed().size(), s.id());
        }
        assertTrue(downs.get() >= 1, "the pub/sub connection was killed");
        assertTrue(gateway.counter("stepcast.gaps.repaired") >= 1);
        assertEquals(0.0, gateway.counter("stepcast.resyncs"));
    }

    @Test
    void redisRestartedWithoutPersistenceResetsSubscribersToTheNewEpoch() {
        RedisProcess redis = own(TestRedis.startThrowaway());
        HubInstance gateway = own(new HubInstance(redis.uri()));
        Publishing bridge = own(new Publishing(redis.uri()));
        String plan = Publishing.newPlan("restart");
        RecordingSubscriber a = new RecordingSubscriber();
        RecordingSubscriber b = new RecordingSubscriber();
        gateway.hub.subscribe(a, plan, null);
        gateway.hub.subscribe(b, plan, null);
        String before = bridge.publish(plan, 100).epoch();
        PlanHubIT.awaitExactly(a, 100);

        redis.stop();
        await().atMost(WAIT).until(() -> !gateway.health.isUp());
        RecordingSubscriber whileDown = new RecordingSubscriber();
        gateway.hub.subscribe(whileDown, plan, null);
        assertEquals(List.of(plan + ":UNAVAILABLE"), whileDown.failures());

        redis.start();
        await().atMost(WAIT).until(gateway.health::isUp);
        PublishResult after = bridge.publish(plan, 10);
        assertFalse(before.equals(after.epoch()));
        for (RecordingSubscriber s : List.of(a, b)) {
            await().atMost(WAIT)
                    .until(() -> s.lastSubscribed() != null
                            && s.position() == 10
                            && after.epoch().equals(s.currentEpoch()));
            assertEquals(List.of(), s.violations());
            assertTrue(s.subscribed().size() >= 2, "restarted from a snapshot");
            assertFalse(s.lastSubscribed().recovered());
        }
        assertEquals(1, gateway.hub.activePlans());
        assertEquals(2, gateway.hub.activeSubscriptions());
    }

    @Test
    void redisRestartedWithPersistenceIsCaughtUpWithoutReset() {
        RedisProcess redis =
                own(TestRedis.startThrowaway(RedisProcess.Options.defaults().withAof()));
        HubInstance gateway = own(new HubInstance(redis.uri()));
        Publishing bridge = own(new Publishing(redis.uri()));
        String plan = Publishing.newPlan("aof");
        RecordingSubscriber a = new RecordingSubscriber();
        gateway.hub.subscribe(a, plan, null);
        await().atMost(WAIT).until(() -> a.lastSubscribed() != null);
        bridge.publish(plan, 50);
        PlanHubIT.awaitExactly(a, 50);
        redis.stop();
        await().atMost(WAIT).until(() -> !gateway.health.isUp());
        redis.start();
        await().atMost(WAIT).until(gateway.health::isUp);
        bridge.publish(plan, 50);
        PlanHubIT.awaitExactly(a, 100);
        assertEquals(range(1, 100), a.seqs());
        assertEquals(1, a.subscribed().size());
    }

    @Test
    void channelsSubscribedInRedisAreExactlyTheWatchedPlansAfterConcurrentChurn() throws Exception {
        RedisProcess redis = own(TestRedis.startThrowaway());
        HubInstance gateway = own(new HubInstance(redis.uri()));
        RefCountChurn churn = new RefCountChurn(gateway.hub, 4, 5, 12, 1_000);
        churn.run();
        RedisClient adminClient = RedisClient.create(redis.uri());
        closeables.add(adminClient::shutdown);
        StatefulRedisConnection<String, String> admin = own(adminClient.connect());
        List<String> expected = churn.watchedPlans().stream()
                .map(p -> "stepcast:{" + p + "}")
                .sorted()
                .toList();
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(
                        expected,
                        admin.sync().pubsubChannels().stream().sorted().toList()));
        assertEquals(expected.size(), gateway.hub.activePlans());
        assertEquals(churn.subscriptionCount(), gateway.hub.activeSubscriptions());
        churn.unsubscribeEverything();
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(List.of(), admin.sync().pubsubChannels()));
        assertEquals(0, gateway.hub.activePlans());
        assertEquals(0, gateway.hub.activeSubscriptions());
    }
}
