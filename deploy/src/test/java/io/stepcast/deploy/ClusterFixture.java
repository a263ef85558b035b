package io.stepcast.deploy;

import io.stepcast.bridge.testing.MissingTool;
import io.stepcast.bridge.testing.TestRedisCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalCluster} shared by the tests of a system-test class: three gateways behind nginx
 * and one redis-server without persistence, configured by {@link Scenario#gatewayEnv()}. Started
 * before the class's first test and stopped after its last; the class is skipped with a
 * message (see {@link SystemTools#assumeClusterTools(String)}) where redis-server or nginx is missing.
 *
 * <p>Register it on a static field:
 * {@code @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture("name");}.
 * Not thread-safe, like the cluster it holds: the tests of the class run one after the other.
 */
final class ClusterFixture implements BeforeAllCallback, AfterAllCallback {

    private static final int GATEWAYS = 3;

    private final String name;
    private final boolean redisCluster;
    private LocalCluster cluster;

    /** @param name names the cluster's run directory under {@code deploy/target/system-tests} */
    ClusterFixture(String name) {
        this(name, false);
    }

    /** With {@code redisCluster}: a Redis Cluster of 3 masters + 3 replicas ({@code up.sh --cluster}). */
    ClusterFixture(String name, boolean redisCluster) {
        this.name = name;
        this.redisCluster = redisCluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SystemTools.assumeClusterTools(context.getRequiredTestClass().getSimpleName());
        if (redisCluster) {
            TestRedisCluster.missingTools().ifPresent(why -> {
                throw MissingTool.skipClass(
                        context.getRequiredTestClass().getSimpleName(),
                        "redis-server >= 7 and redis-cli (Redis Cluster)",
                        why);
            });
        }
        cluster = LocalCluster.start(name, GATEWAYS, false, redisCluster, Scenario.gatewayEnv());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** The running cluster; only between the class's first and last test. */
    LocalCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the " + name + " cluster is not running (register the fixture"
                    + " with @RegisterExtension on a static field)");
        }
        return cluster;
    }

    /** Clients watching fresh plans through the cluster's load balancer; see {@link ClusterLoad#connect}. */
    ClusterLoad connect(String planPrefix, int plans, int clients) {
        return ClusterLoad.connect(cluster(), planPrefix, plans, clients);
    }
}
