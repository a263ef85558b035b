package io.stepcast.gateway.index;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.SlotHash;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.ClusterNodes;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster-mode gateway's live plan index while the master of the index's slot ({@code {_plans}})
 * changes: a WebSocket {@code watch_plans} client must keep receiving every index change, in order,
 * once (an explicit new first page when the index epoch rotates is allowed), including the changes
 * published while the gateway's index subscription was on the old node, and end with exactly the
 * summaries Redis holds.
 */
class LiveIndexClusterFailoverIT {

    /** Covers a failover (cluster node timeout plus election) and several reconcile intervals. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Plans published at most (the first page holds up to 500: a reset must show them all). */
    private static final int MAX_PLANS = 400;

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
    void aWatchFollowsEveryIndexChangeAcrossAManualFailoverOfTheIndexSlot() throws Exception {
        streamThrough("CLUSTER FAILOVER", 0, (layout, master) -> {
            int replica = replicaOf(master);
            Resp.call("127.0.0.1", replica, 5_000, "CLUSTER", "FAILOVER");
            await().atMost(WAIT).ignoreExceptions().until(() -> cluster.masterOf(indexSlot(layout)) == replica);
        });
    }

    @Test
    void aWatchFollowsEveryIndexChangeAcrossAKilledIndexMasterAndItsReturn() throws Exception {
        RedisLayout probe = new RedisLayout("probe");
        RedisProcess victim = cluster.node(cluster.masterOf(indexSlot(probe)));
        try {
            streamThrough("kill -9 of the index master, replica promoted, master back", 0, (layout, master) -> {
                int replica = replicaOf(master);
                victim.kill();
                await().atMost(WAIT).ignoreExceptions().until(() -> cluster.masterOf(indexSlot(layout)) == replica);
                victim.start();
                cluster.awaitHealthy();
            });
        } finally {
            if (!victim.isRunning()) {
                victim.start();
            }
            cluster.awaitHealthy();
        }
    }

    @Test
    void aWatchFollowsEveryIndexChangeWhileTheHungIndexMastersReplicaTookOver() throws Exception {
        RedisLayout probe = new RedisLayout("probe");
        RedisProcess hung = cluster.node(cluster.masterOf(indexSlot(probe)));
        int replica = replicaOf(hung.port());
        try {
            // SIGSTOP: the gateway's connection to the old master stays open and no node tells it
            // anything (no sunsubscribe, no disconnect): only its own owner check can move the index
            streamThrough(
                    "index master hung (SIGSTOP), replica promoted, changes followed before it resumes",
                    replica,
                    (layout, master) -> {
                        hung.pause();
                        await().atMost(WAIT)
                                .ignoreExceptions()
                                .until(() -> masterSeenBy(replica, indexSlot(layout)) == replica);
                    });
        } finally {
            hung.resume();
            cluster.awaitHealthy();
        }
    }

    private interface TopologyChange {
        void run(RedisLayout layout, int indexMaster) throws Exception;
    }

    /**
     * Watches the index, publishes a steady trickle of new plans (one index change each), runs
     * {@code change}, publishes 30 more, then waits until the watch shows exactly the summaries Redis
     * holds, without a gap or duplicate. {@code readVia}: the node to ask for the topology (0: any
     * running one).
     */
    private void streamThrough(String label, int readVia, TopologyChange change) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String prefix = "ixfo" + run;
        RedisLayout layout = new RedisLayout(prefix);
        AtomicInteger published = new AtomicInteger();
        ScheduledExecutorService publishing = Executors.newSingleThreadScheduledExecutor();
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(
                        cluster.uri(),
                        BridgeConfig.builder()
                                .prefix(prefix)
                                .redisMode(RedisMode.CLUSTER)
                                .backoffMax(Duration.ofMillis(500))
                                .commandTimeout(Duration.ofSeconds(5))
                                .closeTimeout(Duration.ofSeconds(60))
                                .build());
                TestGateway gw = TestGateway.onCluster(
                        cluster.uri(),
                        Map.of("stepcast.redis.prefix", prefix, "stepcast.redis.reconcile-interval", "1s"));
                WsClient ws = WsClient.connect(gw.wsUri())) {
            ws.next("connected");
            ws.send("{\"type\":\"watch_plans\",\"prefix\":\"p" + run + "-\",\"limit\":500}");
            IndexWatchRecorder watch = new IndexWatchRecorder(ws);
            await().atMost(WAIT).until(() -> {
                watch.drain();
                return watch.listed();
            });
            // one new plan (one index change) at a time, a steady trickle across the change
            publishing.scheduleWithFixedDelay(
                    () -> {
                        int n = published.get();
                        if (n < MAX_PLANS) {
                            publisher
                                    .publish("p" + run + "-" + n, new PlanStarted("p", List.of("s")))
                                    .join();
                            published.incrementAndGet();
                        }
                    },
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> published.get() >= 20);
            change.run(layout, cluster.masterOf(indexSlot(layout)));
            int after = published.get();
            await().atMost(WAIT).until(() -> published.get() >= Math.min(MAX_PLANS, after + 30));
            publishing.shutdown();
            assertTrue(publishing.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS), "the publisher stopped");
            await().atMost(WAIT).ignoreExceptions().until(() -> {
                watch.drain();
                return watch.plans().equals(stored(layout, readVia));
            });
            System.out.printf(
                    "live plan index on a cluster (%s): %d plans published, %d changes received in order, "
                            + "%d resets (new index epoch), violations %s%n",
                    label, published.get(), watch.changes(), watch.resets(), watch.violations());
            assertEquals(List.of(), watch.violations());
            assertTrue(watch.resets() <= 1, "at most one new first page (the index epoch rotates once)");
        } finally {
            publishing.shutdownNow();
        }
    }

    /** The index summaries Redis holds now, read on the index slot's master ({@code via}: who says which). */
    private static Map<String, String> stored(RedisLayout layout, int via) throws IOException {
        int slot = indexSlot(layout);
        int master = via == 0 ? cluster.masterOf(slot) : masterSeenBy(via, slot);
        List<?> fields = (List<?>) Resp.call("127.0.0.1", master, 5_000, "HGETALL", layout.indexSummariesKey());
        Map<String, String> plans = new HashMap<>();
        for (int i = 0; i < fields.size(); i += 2) {
            plans.put((String) fields.get(i), IndexWatchRecorder.version(WsClient.JSON.readTree((String)
                    fields.get(i + 1))));
        }
        return plans;
    }

    private static int indexSlot(RedisLayout layout) {
        return SlotHash.getSlot(layout.indexChannel());
    }

    /** The master of {@code slot} according to the node on {@code port}. */
    private static int masterSeenBy(int port, int slot) {
        return ClusterNodes.read("127.0.0.1:" + port).stream()
                .filter(n -> n.master() && n.connected() && !n.failing() && n.serves(slot))
                .findFirst()
                .orElseThrow()
                .port();
    }

    private static int replicaOf(int masterPort) {
        return ClusterNodes.replicaOf(cluster.anyLiveNode(), masterPort);
    }
}
