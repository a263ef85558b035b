package io.stepcast.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.cluster.SlotHash;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.testing.ClusterNodes;
import io.stepcast.bridge.testing.Resp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The local cluster of {@code deploy/local/up.sh --cluster} (a Redis Cluster of 3 masters + 3 replicas,
 * 3 gateway JVMs in cluster mode, nginx), driven through nginx as users would: fan-out over 100 plans
 * spread over every master, a reshard of a streaming plan's slot, a manual failover, and kill -9 of a
 * master (replica promoted) and its return. Each under load with wait-replicas 1 (without it a plan
 * that changes master gets an explicit reset: lost-writes defence), each required to lose, duplicate
 * and reset nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterSystemIT {

    @RegisterExtension
    static final ClusterFixture CLUSTER = new ClusterFixture("redis-cluster", true);

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final RedisLayout LAYOUT = RedisLayout.defaults();

    @Test
    @Order(1)
    void fanOutOver100PlansSpreadOverEveryMasterLosesNothing() {
        List<String> plans = Scenario.plans("rc-fan", 100);
        Set<Integer> masters = new HashSet<>();
        plans.forEach(p -> masters.add(masterOf(p)));
        assertEquals(3, masters.size(), "the plans live on every master");
        try (ClusterLoad load = ClusterLoad.connect(CLUSTER.cluster(), plans, 200, 0)) {
            load.publish(10_000, 1_000);
            load.settleLossless("redis cluster: fan-out over 100 plans on 3 masters");
        }
    }

    @Test
    @Order(2)
    void aReshardOfAStreamingPlansSlotLosesNothing() {
        int source = masterPort(0);
        String plan = planInSlot("rc-reshard", firstSlot(source));
        int target = nodes().stream()
                .filter(n -> n.master() && !n.slots().isEmpty() && n.port() != source)
                .findFirst()
                .orElseThrow()
                .port();
        streamThrough(
                "redis cluster: reshard of a streaming plan's slot",
                plan,
                1,
                () -> redisCli(
                        "--cluster",
                        "reshard",
                        "127.0.0.1:" + source,
                        "--cluster-from",
                        nodeId(source),
                        "--cluster-to",
                        nodeId(target),
                        "--cluster-slots",
                        "1",
                        "--cluster-yes"));
        assertEquals(target, masterOf(plan));
    }

    @Test
    @Order(3)
    void aManualFailoverLosesNothing() {
        String plan = Scenario.plans("rc-failover", 1).get(0);
        int replica = replicaOf(masterOf(plan));
        // wait-replicas 1: without it a failover rotates the plans' epochs (lost writes cannot be
        // ruled out on a promoted replica) and every client gets one reset
        streamThrough("redis cluster: CLUSTER FAILOVER", plan, 1, () -> {
            call(replica, "CLUSTER", "FAILOVER");
            await().atMost(WAIT).until(() -> masterOf(plan) == replica);
        });
    }

    @Test
    @Order(4)
    void aKilledMasterWhoseReplicaIsPromotedAndThatReturnsLosesNothingWithWaitReplicas() {
        String plan = Scenario.plans("rc-kill", 1).get(0);
        int master = masterOf(plan);
        int replica = replicaOf(master);
        int node = nodeNumber(master);
        streamThrough("redis cluster: kill -9 of a master, replica promoted, master back", plan, 1, () -> {
            CLUSTER.cluster().killRedisNode(node);
            await().atMost(WAIT).ignoreExceptions().until(() -> masterOf(plan) == replica);
            CLUSTER.cluster().startRedisNode(node);
        });
    }

    /** 30 clients on the plan and 9 other plans, a stream, the change mid-stream, more stream, then the counts. */
    private void streamThrough(String scenario, String plan, int waitReplicas, Runnable change) {
        List<String> plans = new ArrayList<>(List.of(plan));
        plans.addAll(Scenario.plans("rc-load", 9));
        try (ClusterLoad load = ClusterLoad.connect(CLUSTER.cluster(), plans, 30, waitReplicas)) {
            load.publish(0, 300);
            load.awaitPublished(600, WAIT);
            change.run();
            load.publishMoreThenStop(1_500, WAIT);
            load.settleLossless(scenario);
        }
    }

    private static List<ClusterNodes.Node> nodes() {
        for (int n = 1; n <= 6; n++) {
            try {
                return ClusterNodes.read("127.0.0.1:" + CLUSTER.cluster().redisNodePort(n));
            } catch (UncheckedIOException down) {
                // that node is down: ask the next
            }
        }
        throw new IllegalStateException("no Redis Cluster node answers");
    }

    private static int masterOf(String plan) {
        int slot = SlotHash.getSlot(LAYOUT.channel(plan));
        return nodes().stream()
                .filter(n -> n.master() && !n.failing() && n.serves(slot))
                .findFirst()
                .orElseThrow()
                .port();
    }

    private static int masterPort(int index) {
        return nodes().stream()
                .filter(n -> n.master() && !n.slots().isEmpty() && !n.failing())
                .toList()
                .get(index)
                .port();
    }

    private static int firstSlot(int port) {
        return nodes().stream().filter(n -> n.port() == port).findFirst().orElseThrow().slots().stream()
                .mapToInt(r -> r[0])
                .min()
                .orElseThrow();
    }

    private static String nodeId(int port) {
        return nodes().stream()
                .filter(n -> n.port() == port)
                .findFirst()
                .orElseThrow()
                .id();
    }

    private static int replicaOf(int masterPort) {
        String id = nodeId(masterPort);
        return nodes().stream()
                .filter(n -> id.equals(n.masterId()) && !n.failing())
                .findFirst()
                .orElseThrow()
                .port();
    }

    private static int nodeNumber(int port) {
        for (int n = 1; n <= 6; n++) {
            if (CLUSTER.cluster().redisNodePort(n) == port) {
                return n;
            }
        }
        throw new IllegalArgumentException("not a node of this cluster: " + port);
    }

    private static String planInSlot(String prefix, int slot) {
        String base = Scenario.plans(prefix, 1).get(0);
        for (int i = 0; ; i++) {
            if (SlotHash.getSlot(LAYOUT.channel(base + "-" + i)) == slot) {
                return base + "-" + i;
            }
        }
    }

    private static void call(int port, String... command) {
        try {
            Resp.call("127.0.0.1", port, 5_000, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void redisCli(String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
