package io.stepcast.gateway.http;

import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every case of {@link HttpEventFilterIT} (filtered SSE and long-poll with {@code skip}, poll without
 * output tails) against a cluster-mode gateway on the Redis Cluster fixture.
 */
class ClusterHttpEventFilterIT extends HttpEventFilterIT {

    @BeforeAll
    static void start() { // hides HttpEventFilterIT.start: the cluster instead of standalone Redis
        TestRedisCluster.assumeAvailable();
        gw = TestGateway.onCluster(TestRedisCluster.shared().uri(), Map.of("stepcast.http.sse.heartbeat", "300ms"));
    }
}
