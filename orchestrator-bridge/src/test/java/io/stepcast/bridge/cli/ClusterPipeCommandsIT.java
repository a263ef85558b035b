package io.stepcast.bridge.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandRecord;
import io.stepcast.bridge.command.CommandStream;
import io.stepcast.bridge.testing.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code pipe --redis-mode cluster --commands}: command streams of plans on every master come out on
 * stdout, and reply lines reach the session wherever its subscriber is connected.
 */
class ClusterPipeCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void cluster() {
        TestRedisCluster.assumeAvailable();
    }

    @Test
    void commandsOfPlansOnEveryMasterComeOutAndRepliesReachTheSessionThroughAnyNode() throws Exception {
        TestRedisCluster cluster = TestRedisCluster.shared();
        RedisLayout layout =
                new RedisLayout("cpipe" + UUID.randomUUID().toString().substring(0, 8));
        List<String> plans = new ArrayList<>();
        Set<Integer> masters = new HashSet<>();
        for (int i = 0; masters.size() < 3 || plans.size() < 6; i++) {
            String plan = "p" + i;
            plans.add(plan);
            masters.add(cluster.masterOf(SlotHash.getSlot(layout.commandsKey(plan))));
        }
        RedisClusterClient clusterClient = RedisClusterClient.create(cluster.uri());
        // the session's subscriber: one plain connection to one node (as a gateway's PSUBSCRIBE)
        RedisClient nodeClient = RedisClient.create("redis://" + cluster.anyLiveNode());
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        try (StatefulRedisClusterConnection<String, String> redis = clusterClient.connect();
                StatefulRedisPubSubConnection<String, String> pubsub = nodeClient.connectPubSub();
                CliProcess cli = new CliProcess(
                        cluster.uri(),
                        "pipe",
                        "--redis-mode",
                        "cluster",
                        "--prefix",
                        layout.prefix(),
                        "--commands",
                        String.join(",", plans),
                        "--consumer",
                        "cluster-pipe-test")) {
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                    received.add(read(message));
                }
            });
            pubsub.sync().psubscribe(layout.sessionChannelPrefix() + "*");
            for (int i = 0; i < plans.size(); i++) {
                CommandStream.append(
                                redis.async(),
                                layout,
                                plans.get(i),
                                CommandRecord.of("c-" + i, "sess-" + i, "retry", Map.of("step", i), null))
                        .join();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> cli.stdout().size() == plans.size());
            Set<String> planIds = new HashSet<>();
            for (String line : cli.stdout()) {
                JsonNode command = read(line).get("command");
                planIds.add(command.get("plan_id").asText());
                String i = command.get("id").asText().substring(2);
                assertEquals("sess-" + i, command.get("session").asText());
                assertEquals(
                        Integer.parseInt(i), command.get("args").get("step").asInt());
                cli.write("{\"reply\":{\"session\":\"sess-" + i + "\",\"id\":\"c-" + i
                        + "\",\"ok\":true,\"data\":{\"plan\":\""
                        + command.get("plan_id").asText() + "\"}}}");
            }
            assertEquals(Set.copyOf(plans), planIds, "every plan's command came out");
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == plans.size());
            for (JsonNode result : received) {
                assertEquals("command_result", result.get("type").asText());
                assertEquals(true, result.get("ok").asBoolean());
            }
            assertEquals(0, cli.finish());
            for (String plan : plans) {
                assertEquals(
                        0,
                        redis.sync()
                                .xpending(layout.commandsKey(plan), CommandStream.DEFAULT_GROUP)
                                .getCount(),
                        "every command was acknowledged: " + plan);
            }
        } finally {
            clusterClient.shutdown();
            nodeClient.shutdown();
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
