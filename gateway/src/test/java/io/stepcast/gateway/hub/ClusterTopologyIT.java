package io.stepcast.gateway.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.SlotHash;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.testing.ClusterNodes;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.bridge.testing.TestRedisCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances (hubs on the cluster bus) and a bridge streaming into a real Redis Cluster of
 * 3 masters + 3 replicas while its topology changes under them: a slot migration, a manual failover, a
 * master killed (replica promoted) and restarted, a node added. Every subscriber must see every
 * acknowledged event exactly once, in order, without a reset.
 */
class ClusterTopologyIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final RedisLayout LAYOUT = RedisLayout.defaults();
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
    void aReshardOfASubscribedPlansSlotLosesAndDuplicatesNothing() {
        int source = anyMasterPort();
        String plan = planInSlot("reshard", firstSlot(source));
        int target = otherMasterPort(source);
        streamThrough(
                "reshard",
                List.of(plan),
                1,
                () -> cluster.redisCli(
                        "reshard",
                        "--cluster-from",
                        nodeId(source),
                        "--cluster-to",
                        nodeId(target),
                        "--cluster-slots",
                        "1",
                        "--cluster-yes"));
        assertEquals(target, cluster.masterOf(slot(plan)), "the plan's slot moved");
    }

    @Test
    void aManualFailoverLosesAndDuplicatesNothing() {
        String plan = Publishing.newPlan("failover");
        int master = cluster.masterOf(slot(plan));
        int replica = replicaOf(master);
        // with wait-replicas: a promoted replica keeps the plans' epochs only after writes confirmed
        // by WAIT; without it any failover rotates them (lost writes cannot be ruled out) and resets
        streamThrough("CLUSTER FAILOVER", List.of(plan), 1, () -> {
            call(replica, "CLUSTER", "FAILOVER");
            await().atMost(WAIT).until(() -> cluster.masterOf(slot(plan)) == replica);
        });
    }

    @Test
    void aKilledMasterWhoseReplicaIsPromotedAndThatReturnsLosesNothingWithWaitReplicas() {
        String plan = Publishing.newPlan("kill");
        int master = cluster.masterOf(slot(plan));
        int replica = replicaOf(master);
        RedisProcess victim = cluster.node(master);
        streamThrough("kill -9 of a master, replica promoted, master back", List.of(plan), 1, () -> {
            victim.kill();
            await().atMost(WAIT).ignoreExceptions().until(() -> cluster.masterOf(slot(plan)) == replica);
            victim.start();
            cluster.awaitHealthy();
        });
    }

    @Test
    void aNodeAddedThatTakesOverASubscribedPlansSlotLosesNothing() {
        int source = anyMasterPort();
        String plan = planInSlot("added", firstSlot(source));
        RedisProcess added = TestRedisCluster.startNode();
        RedisProcess addedReplica = TestRedisCluster.startNode(); // wait-replicas needs a replica there too
        streamThrough("node added, slot resharded to it", List.of(plan), 1, () -> {
            cluster.addNode(added);
            await().atMost(WAIT).ignoreExceptions().until(() -> nodeId(added.port()) != null);
            cluster.awaitHealthy();
            cluster.addReplica(addedReplica, nodeId(added.port()));
            await().atMost(WAIT).ignoreExceptions().until(() -> replicaOf(added.port()) == addedReplica.port());
            cluster.awaitHealthy();
            cluster.redisCli(
                    "reshard",
                    "--cluster-from",
                    nodeId(source),
                    "--cluster-to",
                    nodeId(added.port()),
                    "--cluster-slots",
                    "1",
                    "--cluster-yes");
        });
        assertEquals(added.port(), cluster.masterOf(slot(plan)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMasterKilledWhileItsReplicaLagsResetsItsPlansSubscribersNeverASilentHole() throws Exception {
        String plan = Publishing.newPlan("lag");
        int master = cluster.masterOf(slot(plan));
        int replica = replicaOf(master);
        RedisProcess victim = cluster.node(master);
        RedisProcess lagging = cluster.node(replica);
        try (HubInstance gateway = HubInstance.onCluster(cluster.uri())) {
            List<RecordingSubscriber> subscribers = List.of(new RecordingSubscriber(), new RecordingSubscriber());
            subscribers.forEach(s -> gateway.hub.subscribe(s, plan, null));
            await().atMost(WAIT).until(() -> subscribers.stream().allMatch(s -> s.lastSubscribed() != null));
            try (ClusterStream stream = new ClusterStream(cluster.uri(), List.of(plan), 0)) {
                await().atMost(WAIT).until(() -> stream.published() >= 300);
                lagging.pause(); // acknowledged writes from now on exist only on the master
                long paused = stream.published();
                await().atMost(WAIT).until(() -> stream.published() >= paused + 300);
                victim.kill();
                lagging.resume();
                await().atMost(WAIT).ignoreExceptions().until(() -> cluster.masterOf(slot(plan)) == replica);
                long promoted = stream.published();
                await().atMost(WAIT).until(() -> stream.published() >= promoted + 300);
                stream.stop();
            } finally {
                lagging.resume();
            }
            List<Object> head = (List<Object>)
                    Resp.call("127.0.0.1", replica, 5_000, "HMGET", LAYOUT.metaKey(plan), "epoch", "seq");
            String epoch = (String) head.get(0);
            long seq = Long.parseLong((String) head.get(1));
            for (RecordingSubscriber s : subscribers) {
                await().atMost(WAIT)
                        .until(() -> epoch.equals(s.currentEpoch()) && s.position() >= seq
                                || !s.failures().isEmpty());
                assertEquals(List.of(), s.violations(), s.id());
                assertEquals(List.of(), s.failures(), s.id());
                assertEquals(seq, s.position(), s.id());
                assertTrue(s.subscribed().size() >= 2, "an explicit reset to the new epoch: " + s.subscribed());
            }
            System.out.printf(
                    "cluster: master killed while its replica lagged: %d subscribers reset to epoch %s "
                            + "at seq %d, no silent hole%n",
                    subscribers.size(), epoch, seq);
        } finally {
            victim.start();
            cluster.awaitHealthy();
        }
    }

    /**
     * Subscribes every plan on two instances, streams into them, runs {@code change} once the stream
     * runs, keeps streaming after it, then checks that every subscriber got every acknowledged event
     * of its plan exactly once, in order, with no reset.
     */
    private void streamThrough(String label, List<String> plans, int waitReplicas, Runnable change) {
        List<String> all = new ArrayList<>(plans);
        all.addAll(ClusterStream.planNames("load", 12)); // spread over every master
        try (HubInstance a = HubInstance.onCluster(cluster.uri());
                HubInstance b = HubInstance.onCluster(cluster.uri())) {
            List<RecordingSubscriber> subscribers = new ArrayList<>();
            List<String> planOf = new ArrayList<>();
            for (HubInstance gateway : List.of(a, b)) {
                for (String plan : all) {
                    RecordingSubscriber s = new RecordingSubscriber();
                    gateway.hub.subscribe(s, plan, null);
                    subscribers.add(s);
                    planOf.add(plan);
                }
            }
            await().atMost(WAIT).until(() -> subscribers.stream().allMatch(s -> s.lastSubscribed() != null));
            Map<String, Long> last;
            try (ClusterStream stream = new ClusterStream(cluster.uri(), all, waitReplicas)) {
                await().atMost(WAIT).until(() -> stream.published() >= 500);
                change.run();
                long after = stream.published();
                await().atMost(WAIT).until(() -> stream.published() >= after + 1_000);
                last = stream.stop();
                assertEquals(
                        stream.published(),
                        last.values().stream().mapToLong(Long::longValue).sum(),
                        "every acknowledged event was appended once (no event applied twice across the change)");
            }
            long events = 0;
            long lost = 0;
            long duplicated = 0;
            long resets = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                RecordingSubscriber s = subscribers.get(i);
                long expected = last.get(planOf.get(i));
                await().atMost(WAIT)
                        .until(() -> s.position() >= expected || !s.failures().isEmpty());
                List<Long> seqs = s.seqs();
                long distinct = new HashSet<>(seqs).size();
                events += seqs.size();
                duplicated += seqs.size() - distinct;
                lost += expected - distinct;
                resets += s.subscribed().size() - 1;
                assertEquals(List.of(), s.violations(), s.id());
                assertEquals(List.of(), s.failures(), s.id());
            }
            System.out.printf(
                    "cluster topology change under load (%s): %d subscribers, %d events delivered, lost %d, "
                            + "duplicated %d, resets %d, repairs %.0f%n",
                    label,
                    subscribers.size(),
                    events,
                    lost,
                    duplicated,
                    resets,
                    a.counter("stepcast.gaps.repaired") + b.counter("stepcast.gaps.repaired"));
            assertEquals(0, lost, "lost");
            assertEquals(0, duplicated, "duplicated");
            assertEquals(0, resets, "resets");
        }
    }

    private static int slot(String plan) {
        return SlotHash.getSlot(LAYOUT.channel(plan));
    }

    /** A new plan id whose channel hashes to {@code slot}. */
    private static String planInSlot(String prefix, int slot) {
        String base = Publishing.newPlan(prefix);
        for (int i = 0; ; i++) {
            String candidate = base + "-" + i;
            if (slot(candidate) == slot) {
                return candidate;
            }
        }
    }

    private static List<ClusterNodes.Node> nodes() {
        return ClusterNodes.read(cluster.anyLiveNode());
    }

    private static int anyMasterPort() {
        return nodes().stream()
                .filter(n -> n.master() && !n.slots().isEmpty() && !n.failing())
                .findFirst()
                .orElseThrow()
                .port();
    }

    private static int otherMasterPort(int port) {
        return nodes().stream()
                .filter(n -> n.master() && !n.slots().isEmpty() && n.port() != port)
                .findFirst()
                .orElseThrow()
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
                .map(ClusterNodes.Node::id)
                .findFirst()
                .orElse(null);
    }

    private static int replicaOf(int masterPort) {
        String id = nodeId(masterPort);
        return nodes().stream()
                .filter(n -> id.equals(n.masterId()) && !n.failing())
                .findFirst()
                .orElseThrow()
                .port();
    }

    private static void call(int port, String... command) {
        try {
            Resp.call("127.0.0.1", port, 5_000, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
