package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisAccessException;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.command.CommandListener;
import io.stepcast.bridge.command.CommandListenerOptions;
import io.stepcast.bridge.command.CommandOutcome;
import io.stepcast.bridge.command.CommandReplies;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.redis.ClusterClients;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Refusals;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis Cluster that requires authentication (an ACL user; the passwordless {@code default} user
 * switched off on every node, replicas replicating as that user): gateway and bridge given
 * {@code redis://user:password@seed,…} authenticate on every node they discover, so events, client
 * commands and their results flow as without auth; a wrong password fails with Redis's error.
 */
class ClusterAuthIT {

    private static final String USER = "stepcast";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    static TestRedisCluster cluster;
    static List<String> plans = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        TestRedisCluster.assumeLocalProcesses();
        cluster = TestRedisCluster.start();
        // plans over all 3 masters, chosen while CLUSTER NODES still answers without auth
        plans.addAll(ClusterPlans.overThreeMasters(cluster, "auth"));
        for (RedisProcess node : cluster.nodes()) {
            int port = node.port();
            Resp.call("127.0.0.1", port, 5_000, "ACL", "SETUSER", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all");
            Resp.call("127.0.0.1", port, 5_000, "CONFIG", "SET", "masteruser", USER);
            Resp.call("127.0.0.1", port, 5_000, "CONFIG", "SET", "masterauth", PASSWORD);
            Resp.call("127.0.0.1", port, 5_000, "ACL", "SETUSER", "default", "off");
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String seeds(String password) {
        return cluster.uri().replace("redis://", "redis://" + USER + ":" + password + "@");
    }

    @Test
    void anUnauthenticatedClientIsRefusedByEveryNode() {
        for (RedisProcess node : cluster.nodes()) {
            IOException refused =
                    assertThrows(IOException.class, () -> Resp.call("127.0.0.1", node.port(), 5_000, "PING"));
            assertTrue(refused.getMessage().contains("NOAUTH"), refused.getMessage());
        }
    }

    @Test
    void eventsCommandsAndResultsFlowThroughAGatewayAndABridgeThatAuthenticate() throws Exception {
        String seeds = seeds(PASSWORD);
        BridgeConfig config =
                BridgeConfig.builder().redisMode(RedisMode.CLUSTER).build();
        RedisClusterClient commandClient = ClusterClients.create(seeds);
        try (TestGateway gateway = TestGateway.onCluster(seeds, Map.of());
                LettuceEventPublisher publisher = LettuceEventPublisher.create(seeds, config);
                CommandReplies replies = CommandReplies.connect(commandClient, RedisLayout.defaults());
                CommandListener listener = CommandListener.start(
                        commandClient,
                        RedisLayout.defaults(),
                        plans,
                        command -> CommandOutcome.ok(Map.of("plan", command.planId())),
                        replies,
                        CommandListenerOptions.defaults().withConsumer("cluster-auth-it"));
                WsClient client = WsClient.connect(WsClient.uri(gateway))) {
            client.next("connected");
            // the gateway PSUBSCRIBEs its session channels in the background: a command result published
            // before that subscription is confirmed is gone (pub/sub keeps nothing)
            awaitSessionRoute();
            for (String plan : plans) {
                ClusterPlans.snapshotThenLiveEvent(client, publisher, plan, "auth " + plan);
                client.send("{\"type\":\"command\",\"id\":\"c-1\",\"plan_id\":\"" + plan
                        + "\",\"command\":\"status\",\"args\":{}}");
                JsonNode result = client.next("command_result");
                assertEquals(plan, result.path("data").path("plan").asText(), result::toString);
            }
        } finally {
            commandClient.shutdown();
        }
    }

    /** Waits until some node holds a pattern subscription: the gateway's route for direct messages. */
    private static void awaitSessionRoute() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String node : cluster.nodeAddresses()) {
                RedisClient nodeClient = RedisClient.create("redis://" + USER + ":" + PASSWORD + "@" + node);
                try (StatefulRedisConnection<String, String> c = nodeClient.connect()) {
                    if (c.sync().pubsubNumpat() > 0) {
                        return true;
                    }
                } finally {
                    nodeClient.shutdown();
                }
            }
            return false;
        });
    }

    @Test
    void aClusterPublisherWithAWrongPasswordFailsThePublishFastInsteadOfRetrying() {
        BridgeConfig config =
                BridgeConfig.builder().redisMode(RedisMode.CLUSTER).build();
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(seeds("wrong"), config)) {
            CompletableFuture<PublishResult> f = publisher.publish(plans.get(0), new PlanStarted("x", List.of("a")));
            RedisAccessException refused = Refusals.awaitRefusal(f);
            assertEquals(RedisAccessException.Kind.AUTHENTICATION, refused.kind(), refused::getMessage);
            assertTrue(refused.getMessage().contains("WRONGPASS"), refused.getMessage());
        }
    }

    @Test
    void aCommandListenerWithAWrongPasswordFailsAtStartWithRedissOwnError() {
        RedisClusterClient wrong = ClusterClients.create(seeds("wrong"));
        RedisClusterClient right = ClusterClients.create(seeds(PASSWORD));
        try (CommandReplies replies = CommandReplies.connect(right, RedisLayout.defaults())) {
            RuntimeException failed = assertThrows(
                    RuntimeException.class,
                    () -> CommandListener.start(
                            wrong,
                            RedisLayout.defaults(),
                            plans,
                            command -> CommandOutcome.ok(null),
                            replies,
                            CommandListenerOptions.defaults()));
            StringBuilder chain = new StringBuilder();
            for (Throwable t = failed; t != null; t = t.getCause()) {
                chain.append(t).append(" <- ");
            }
            assertTrue(chain.toString().contains("WRONGPASS"), chain.toString());
        } finally {
            wrong.shutdown();
            right.shutdown();
        }
    }
}
