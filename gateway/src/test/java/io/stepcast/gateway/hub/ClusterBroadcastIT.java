package io.stepcast.gateway.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepcast.bridge.testing.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis 6.2 cluster (no sharded pub/sub): the bridge publishes with plain PUBLISH, broadcast by the
 * cluster bus, and the gateway SUBSCRIBEs on one node; every event still arrives exactly once.
 */
class ClusterBroadcastIT {

    private static TestRedisCluster cluster;

    @BeforeAll
    static void start() {
        TestRedisCluster.assumeLocalProcesses();
        cluster = TestRedisCluster.startRedis62();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void onARedis62ClusterPlansTravelByBroadcastPubSubExactlyOnce() {
        List<String> plans = ClusterStream.planNames("broadcast", 12);
        try (HubInstance gateway = HubInstance.onCluster(cluster.uri())) {
            List<RecordingSubscriber> subscribers = new ArrayList<>();
            for (String plan : plans) {
                RecordingSubscriber s = new RecordingSubscriber();
                gateway.hub.subscribe(s, plan, null);
                subscribers.add(s);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> subscribers.stream().allMatch(s -> s.lastSubscribed() != null));
            Map<String, Long> last;
            try (ClusterStream stream = new ClusterStream(cluster.uri(), plans, 0)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> stream.published() >= 1_200);
                last = stream.stop();
            }
            for (int i = 0; i < plans.size(); i++) {
                RecordingSubscriber s = subscribers.get(i);
                long expected = last.get(plans.get(i));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> s.position() >= expected || !s.failures().isEmpty());
                assertEquals(List.of(), s.failures(), s.id());
                assertEquals(LongStream.rangeClosed(1, expected).boxed().toList(), s.seqs(), s.id());
                assertEquals(1, s.subscribed().size(), s.id());
            }
        }
    }
}
