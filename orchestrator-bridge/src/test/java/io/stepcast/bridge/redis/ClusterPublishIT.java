package io.stepcast.bridge.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.testing.ClusterNodes;
import io.stepcast.bridge.testing.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publisher on a Redis Cluster of Redis 7: one slot per plan, frames by SPUBLISH on that slot's shard. */
class ClusterPublishIT {

    private static final RedisLayout LAYOUT = RedisLayout.defaults();

    @BeforeAll
    static void cluster() {
        TestRedisCluster.assumeAvailable();
    }

    @Test
    void plansSpreadOverEveryMasterAreLoggedInTheirSlotAndSpublishedToTheirShard() {
        TestRedisCluster cluster = TestRedisCluster.shared();
        BridgeConfig config =
                BridgeConfig.builder().redisMode(RedisMode.CLUSTER).build();
        String run = RedisInspector.newPlanId();
        List<String> plans = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            plans.add(run + "-" + i);
        }
        Set<Integer> masters = new HashSet<>();
        for (String plan : plans) {
            masters.add(cluster.masterOf(SlotHash.getSlot(LAYOUT.channel(plan))));
        }
        assertEquals(3, masters.size(), "100 plans land on all 3 masters");

        Map<String, List<String>> sharded = new ConcurrentHashMap<>();
        List<String> broadcast = new CopyOnWriteArrayList<>();
        List<RedisClient> clients = new ArrayList<>();
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(cluster.uri(), config)) {
            for (int port : masters) {
                RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
                clients.add(client);
                StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                sub.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void smessage(String channel, String message) {
                        sharded.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>())
                                .add(message);
                    }

                    @Override
                    public void message(String channel, String message) {
                        broadcast.add(message);
                    }
                });
                List<String> own = plans.stream()
                        .map(LAYOUT::channel)
                        .filter(c -> cluster.masterOf(SlotHash.getSlot(c)) == port)
                        .toList();
                own.forEach(channel -> sub.sync().ssubscribe(channel)); // one slot per SSUBSCRIBE
                sub.sync().subscribe(plans.stream().map(LAYOUT::channel).toArray(String[]::new));
            }
            for (int seq = 1; seq <= 5; seq++) {
                for (String plan : plans) {
                    PublishResult r = publisher
                            .publish(plan, new StepOutput(0, "line " + seq + "\n"))
                            .join();
                    assertEquals(seq, r.seq());
                }
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sharded.values().stream().mapToInt(List::size).sum() == 500);
            for (String plan : plans) {
                List<String> frames = sharded.get(LAYOUT.channel(plan));
                for (int seq = 1; seq <= 5; seq++) {
                    assertTrue(frames.get(seq - 1).contains("\"seq\":" + seq + ","), frames.toString());
                }
            }
            assertEquals(List.of(), broadcast, "nothing travels by plain PUBLISH");
            try (StatefulRedisClusterConnection<String, String> c =
                    RedisClusterClient.create(cluster.uri()).connect()) {
                for (String plan : plans) {
                    assertEquals(5, c.sync().xlen(LAYOUT.logKey(plan)));
                }
            }
        } finally {
            clients.forEach(RedisClient::shutdown);
        }
    }

    @Test
    void theClusterSeedListIsParsedFromTheUri() {
        TestRedisCluster cluster = TestRedisCluster.shared();
        assertTrue(ClusterNodes.read(cluster.anyLiveNode()).size() >= 6);
        String firstSeedOnly = "redis://" + cluster.anyLiveNode();
        BridgeConfig config =
                BridgeConfig.builder().redisMode(RedisMode.CLUSTER).build();
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(firstSeedOnly, config)) {
            for (int i = 0; i < 30; i++) {
                assertEquals(
                        1,
                        publisher
                                .publish(RedisInspector.newPlanId(), new StepOutput(0, "x"))
                                .join()
                                .seq());
            }
        }
    }
}
