package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisAccessException;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.RedisTls;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.Refusals;
import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.bridge.testing.TestTls;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import io.stepcast.gateway.redis.RedisHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis Cluster with TLS on every link (clients, cluster bus, replication; private CA, client
 * certificates required): a cluster-mode gateway and a cluster-mode bridge given
 * {@code rediss://seed,…} and the CA plus a client certificate carry a snapshot and a live event for
 * plans on all 3 masters; a publisher trusting another CA fails fast with a TLS error.
 */
class ClusterTlsIT {

    static TestTls tls;
    static TestRedisCluster cluster;
    static List<String> plans = new ArrayList<>();

    @BeforeAll
    static void start() {
        TestRedisCluster.assumeLocalProcesses();
        TestTls.assumeAvailable();
        tls = TestTls.generate();
        cluster = TestRedisCluster.startTls(tls);
        plans.addAll(ClusterPlans.overThreeMasters(cluster, "tls"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClusterGatewayAndBridgeCarrySnapshotsAndLiveEventsOverTlsOnAllMasters() throws Exception {
        RedisTls client = tls.client(true);
        BridgeConfig config =
                BridgeConfig.builder().redisMode(RedisMode.CLUSTER).tls(client).build();
        try (TestGateway gateway =
                        TestGateway.onCluster(cluster.tlsUri(), TlsGatewayIT.tlsProperties(cluster.tlsUri(), client));
                LettuceEventPublisher publisher = LettuceEventPublisher.create(cluster.tlsUri(), config);
                WsClient ws = WsClient.connect(WsClient.uri(gateway))) {
            ws.next("connected");
            RedisHealth health = gateway.context().getBean(RedisHealth.class);
            await().atMost(Duration.ofSeconds(30)).until(health::isUp);
            for (String plan : plans) {
                ClusterPlans.snapshotThenLiveEvent(ws, publisher, plan, "tls " + plan);
            }
        }
    }

    @Test
    void aClusterPublisherTrustingAnotherCaFailsFastWithATlsError() {
        BridgeConfig config = BridgeConfig.builder()
                .redisMode(RedisMode.CLUSTER)
                .tls(RedisTls.trusting(tls.otherCaFile()))
                .build();
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(cluster.tlsUri(), config)) {
            CompletableFuture<PublishResult> f = publisher.publish(plans.get(0), new PlanStarted("x", List.of("a")));
            RedisAccessException refused = Refusals.awaitRefusal(f);
            assertEquals(RedisAccessException.Kind.TLS, refused.kind(), refused::getMessage);
        }
    }
}
