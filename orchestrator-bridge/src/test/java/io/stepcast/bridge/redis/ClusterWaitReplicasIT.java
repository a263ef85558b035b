package io.stepcast.bridge.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.lettuce.core.cluster.SlotHash;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.testing.ClusterNodes;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.bridge.testing.TestRedisCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** wait-replicas: a publish is acknowledged only once WAIT saw the plan's master's replica have it. */
class ClusterWaitReplicasIT {

    private static TestRedisCluster cluster;

    @BeforeAll
    static void start() {
        TestRedisCluster.assumeLocalProcesses();
        cluster = TestRedisCluster.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPublishWaitsForTheReplicaOfItsSlotAndIsAcknowledgedOnceItCaughtUp() throws Exception {
        String plan = RedisInspector.newPlanId();
        String channel = RedisLayout.defaults().channel(plan);
        int masterPort = cluster.masterOf(SlotHash.getSlot(channel));
        List<ClusterNodes.Node> nodes = ClusterNodes.read(cluster.anyLiveNode());
        String masterId = nodes.stream()
                .filter(n -> n.port() == masterPort)
                .findFirst()
                .orElseThrow()
                .id();
        RedisProcess replica = cluster.node(nodes.stream()
                .filter(n -> masterId.equals(n.masterId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no replica of " + masterPort + " in " + nodes))
                .port());
        BridgeConfig base = BridgeConfig.builder()
                .redisMode(RedisMode.CLUSTER)
                .backoffMax(Duration.ofMillis(200))
                .build();
        try (LettuceEventPublisher waiting = LettuceEventPublisher.create(
                        cluster.uri(),
                        base.toBuilder()
                                .waitReplicas(1)
                                .waitTimeout(Duration.ofMillis(300))
                                .build());
                LettuceEventPublisher plain = LettuceEventPublisher.create(cluster.uri(), base)) {
            assertEquals(
                    1, waiting.publish(plan, new StepOutput(0, "one\n")).join().seq());
            plain.publish(RedisInspector.newPlanId(), new StepOutput(0, "connect\n"))
                    .join(); // connected before the pause
            replica.pause();
            try {
                assertEquals(
                        2,
                        plain.publish(plan, new StepOutput(0, "two\n")).join().seq());
                CompletableFuture<PublishResult> third = waiting.publish(plan, new StepOutput(0, "three\n"));
                await().during(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(3))
                        .until(() -> !third.isDone());
                replica.resume();
                PublishResult result = third.get();
                assertEquals(3, result.seq());
                assertFalse(result.duplicate());
            } finally {
                replica.resume();
            }
            assertEquals(
                    3L,
                    Resp.call(
                            "127.0.0.1",
                            masterPort,
                            2_000,
                            "XLEN",
                            RedisLayout.defaults().logKey(plan)),
                    "retried WAITs never append twice");
        }
    }
}
