package io.stepcast.gateway.ws;

import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every case of {@link WsEventFilterIT} against a cluster-mode gateway on the Redis Cluster fixture:
 * filtered live delivery (sharded pub/sub), filtered replay from a plan's log on its own slot, and
 * {@code skip} frames that keep the cursor exact.
 */
class ClusterWsEventFilterIT extends WsEventFilterIT {

    @BeforeAll
    static void start() { // hides WsEventFilterIT.start: the cluster instead of standalone Redis
        TestRedisCluster.assumeAvailable();
        server = TestGateway.onCluster(
                TestRedisCluster.shared().uri(),
                Map.of("stepcast.ws.heartbeat", "1s", "stepcast.ws.heartbeat-timeout", "30s"));
        publisher = server.publisher();
    }
}
