package io.stepcast.bridge.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.redis.ClusterClients;
import io.stepcast.bridge.testing.ClusterNodes;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.bridge.testing.TestRedisCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster {@link CommandListener} follows its plan's slot: after a manual failover and after the
 * new master is killed (its replica promoted), commands appended to the plan's stream are still read
 * and handled, by the same running listener.
 */
class ClusterCommandFailoverIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static TestRedisCluster cluster;

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
    void commandsAreStillHandledAfterAManualFailoverAndAKilledMaster() throws IOException {
        RedisLayout layout = new RedisLayout("cfail");
        String plan = "plan-failover";
        int slot = SlotHash.getSlot(layout.commandsKey(plan));
        Set<String> handled = ConcurrentHashMap.newKeySet();
        RedisClusterClient client = ClusterClients.create(cluster.uri());
        try (StatefulRedisClusterConnection<String, String> writer = client.connect();
                CommandReplies replies = CommandReplies.connect(client, layout);
                CommandListener listener = CommandListener.start(
                        client,
                        layout,
                        List.of(plan),
                        command -> {
                            handled.add(command.command().id());
                            return CommandOutcome.ok(null);
                        },
                        replies,
                        CommandListenerOptions.defaults()
                                .withConsumer("failover-it")
                                .withBlock(Duration.ofMillis(500)))) {
            append(writer, layout, plan, "c-1");
            await().atMost(WAIT).until(() -> handled.contains("c-1"));

            int master = cluster.masterOf(slot);
            int replica = replicaOf(master);
            Resp.call("127.0.0.1", replica, 5_000, "CLUSTER", "FAILOVER");
            await().atMost(WAIT).ignoreExceptions().until(() -> cluster.masterOf(slot) == replica);
            await().atMost(WAIT).ignoreExceptions().until(() -> append(writer, layout, plan, "c-2") != null);
            await().atMost(WAIT).until(() -> handled.contains("c-2"));

            RedisProcess promoted = cluster.node(replica);
            promoted.kill();
            await().atMost(WAIT).ignoreExceptions().until(() -> cluster.masterOf(slot) == master);
            await().atMost(WAIT).ignoreExceptions().until(() -> append(writer, layout, plan, "c-3") != null);
            await().atMost(WAIT).until(() -> handled.contains("c-3"));
            assertEquals(Set.of("c-1", "c-2", "c-3"), handled);
        } finally {
            client.shutdown();
        }
    }

    private static String append(
            StatefulRedisClusterConnection<String, String> writer, RedisLayout layout, String plan, String id) {
        return CommandStream.append(
                        writer.async(), layout, plan, CommandRecord.of(id, "sess-1", "retry", Map.of(), null))
                .join();
    }

    private static int replicaOf(int masterPort) {
        return ClusterNodes.replicaOf(cluster.anyLiveNode(), masterPort);
    }
}
