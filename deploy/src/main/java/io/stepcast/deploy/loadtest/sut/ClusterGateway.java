package io.stepcast.deploy.loadtest.sut;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisMode;
import io.stepcast.deploy.loadtest.client.Wire;
import io.stepcast.deploy.loadtest.publish.BridgeSource;
import io.stepcast.deploy.loadtest.publish.EventSource;
import java.nio.file.Path;

/**
 * The Stepcast gateway in Redis Cluster mode ({@code stepcast.redis.mode=cluster}: SSUBSCRIBE per plan
 * on the slot's master) with the bridge publishing in cluster mode (SPUBLISH), on the run's cluster.
 */
public final class ClusterGateway implements SystemUnderTest {

    public static final String NAME = "stepcast-cluster";

    private final StepcastGateway gateway;

    public ClusterGateway(StepcastGateway gateway) {
        this.gateway = gateway.with("--stepcast.redis.mode=cluster");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Wire wire() {
        return gateway.wire();
    }

    @Override
    public EventSource events(String redisUri) {
        return new BridgeSource(
                redisUri, BridgeConfig.builder().redisMode(RedisMode.CLUSTER).build());
    }

    @Override
    public Running start(String redisUri, Path runDir, String label) throws Exception {
        return gateway.start(redisUri, runDir, label + "-cluster");
    }
}
