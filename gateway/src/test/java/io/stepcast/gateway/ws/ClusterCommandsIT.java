package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandListener;
import io.stepcast.bridge.command.CommandListenerOptions;
import io.stepcast.bridge.command.CommandOutcome;
import io.stepcast.bridge.command.CommandReplies;
import io.stepcast.bridge.command.ReceivedCommand;
import io.stepcast.bridge.redis.ClusterClients;
import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client commands and direct messages on a Redis Cluster, end to end: a WebSocket client's
 * {@code command} goes through a gateway in cluster mode into the plan's command stream (in the plan's
 * slot), a bridge {@link CommandListener} on the cluster hands it to the orchestrator, and the
 * {@code command_result} comes back over the cluster-wide PUBLISH; orchestrator-initiated direct
 * messages reach the session whichever node takes the PUBLISH.
 */
class ClusterCommandsIT {

    static TestRedisCluster cluster;
    static TestGateway gateway;
    static RedisClusterClient bridgeClient;
    /** Pattern subscriptions on the cluster's nodes before the gateway started (other tests' gateways). */
    static long patternsBefore;

    @BeforeAll
    static void start() {
        TestRedisCluster.assumeAvailable();
        cluster = TestRedisCluster.shared();
        patternsBefore = patternSubscriptions();
        gateway = TestGateway.onCluster(cluster.uri(), Map.of());
        bridgeClient = ClusterClients.create(cluster.uri());
    }

    @AfterAll
    static void stop() {
        if (bridgeClient != null) {
            bridgeClient.shutdown();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void commandsOnPlansOfEveryMasterReachTheOrchestratorAndTheirResultsComeBack() {
        RedisLayout layout = RedisLayout.defaults();
        String run = TestGateway.planId("ccmd");
        List<String> plans = new ArrayList<>();
        Set<Integer> masters = new HashSet<>();
        for (int i = 0; masters.size() < 3 || plans.size() < 6; i++) {
            plans.add(run + "-" + i);
            masters.add(cluster.masterOf(SlotHash.getSlot(layout.commandsKey(run + "-" + i))));
        }
        List<ReceivedCommand> handled = new CopyOnWriteArrayList<>();
        try (WsClient client = WsClient.connect(WsClient.uri(gateway));
                CommandReplies replies = CommandReplies.connect(bridgeClient, layout);
                CommandListener listener = CommandListener.start(
                        bridgeClient,
                        layout,
                        plans,
                        command -> {
                            handled.add(command);
                            return CommandOutcome.ok(Map.of(
                                    "plan", command.planId(),
                                    "step", command.command().argsNode().path("step")));
                        },
                        replies,
                        CommandListenerOptions.defaults().withConsumer("cluster-commands-it"))) {
            String session = client.next("connected").path("session_id").asText();
            awaitSessionRoute();
            for (int i = 0; i < plans.size(); i++) {
                client.send("{\"type\":\"command\",\"id\":\"c-" + i + "\",\"plan_id\":\"" + plans.get(i)
                        + "\",\"command\":\"step:retry\",\"args\":{\"step\":" + i + "}}");
            }
            Map<String, JsonNode> results = new HashMap<>();
            while (results.size() < plans.size()) {
                JsonNode result = client.next("command_result");
                results.put(result.path("id").asText(), result);
            }
            for (int i = 0; i < plans.size(); i++) {
                JsonNode result = results.get("c-" + i);
                assertTrue(result.path("ok").asBoolean(), result.toString());
                assertEquals(plans.get(i), result.path("data").path("plan").asText());
                assertEquals(i, result.path("data").path("step").asInt());
            }
            assertEquals(plans.size(), handled.size(), "each command handled once");
            for (ReceivedCommand c : handled) {
                assertEquals(session, c.command().session());
                assertFalse(c.redelivered());
            }
            client.assertUsable();
        }
    }

    @Test
    void directMessagesPublishedOnAnyNodeReachTheSessionIncludingNodesItsGatewayIsNotConnectedTo() {
        RedisLayout layout = RedisLayout.defaults();
        try (WsClient client = WsClient.connect(WsClient.uri(gateway));
                WsClient other = WsClient.connect(WsClient.uri(gateway));
                CommandReplies viaCluster = CommandReplies.connect(bridgeClient, layout)) {
            String session = client.next("connected").path("session_id").asText();
            other.next("connected");
            awaitSessionRoute();
            // the gateway's session route is one PSUBSCRIBE on one node: the nodes without any pattern
            // subscriber are nodes the gateway is not connected to for pub/sub
            List<String> nodes = cluster.nodeAddresses();
            assertEquals(6, nodes.size(), nodes::toString);
            int unsubscribedNodes = 0;
            for (String node : nodes) {
                RedisClient nodeClient = RedisClient.create("redis://" + node);
                try (StatefulRedisConnection<String, String> c = nodeClient.connect();
                        CommandReplies viaNode = new CommandReplies(c, layout)) {
                    if (c.sync().pubsubNumpat() == 0) {
                        unsubscribedNodes++;
                    }
                    viaNode.sendMessage(session, Map.of("type", "notice", "node", node))
                            .join();
                } finally {
                    nodeClient.shutdown();
                }
                assertEquals(node, client.next("notice").path("node").asText());
            }
            assertTrue(unsubscribedNodes >= 1, "some PUBLISH went to a node the gateway is not subscribed on");
            viaCluster
                    .sendMessage(session, Map.of("type", "notice", "node", "any"))
                    .join();
            assertEquals("any", client.next("notice").path("node").asText());
            other.assertUsable();
            assertEquals(0, other.queued(), "direct messages reach only their session");
        }
    }

    /**
     * Waits for the gateway's session route: its first WebSocket session creates it and it PSUBSCRIBEs
     * in the background, so a direct message (a command result) published before that is confirmed
     * is gone (pub/sub keeps nothing), and the test would wait for it in vain.
     */
    private static void awaitSessionRoute() {
        await().atMost(Duration.ofSeconds(30)).until(() -> patternSubscriptions() > patternsBefore);
    }

    /** PUBSUB NUMPAT summed over every node of the cluster. */
    private static long patternSubscriptions() {
        long total = 0;
        for (String node : cluster.nodeAddresses()) {
            RedisClient nodeClient = RedisClient.create("redis://" + node);
            try (StatefulRedisConnection<String, String> c = nodeClient.connect()) {
                total += c.sync().pubsubNumpat();
            } finally {
                nodeClient.shutdown();
            }
        }
        return total;
    }
}
