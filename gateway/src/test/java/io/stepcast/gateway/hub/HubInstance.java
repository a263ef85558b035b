package io.stepcast.gateway.hub;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stepcast.bridge.RedisMode;
import io.stepcast.gateway.redis.GatewayRedisConfig;
import io.stepcast.gateway.redis.LettuceClusterPlanBus;
import io.stepcast.gateway.redis.LettucePlanBus;
import io.stepcast.gateway.redis.LettucePlanStore;
import io.stepcast.gateway.redis.PlanBus;
import io.stepcast.gateway.redis.RedisConnections;
import io.stepcast.gateway.redis.RedisHealth;
import io.stepcast.gateway.ws.SessionRouter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One gateway instance's hub with its own Redis connections (as a gateway process has), built
 * without a Micronaut context so that a test can run several of them against one Redis.
 */
final class HubInstance implements AutoCloseable {

    final ClientResources resources = DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(1)
            .build();
    final RedisHealth health = new RedisHealth();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RedisConnections connections;
    final PlanBus bus;
    final LettucePlanStore store;
    final DefaultPlanHub hub;
    final SessionIds sessionIds = new SessionIds();
    final SessionRouter sessions;

    HubInstance(String redisUri) {
        this(redisUri, HubConfig.defaults());
    }

    HubInstance(String redisUri, HubConfig hubConfig) {
        this(
                new GatewayRedisConfig(
                        redisUri,
                        "stepcast",
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        "standalone",
                        Duration.ofSeconds(2)),
                hubConfig);
    }

    /** A gateway instance on a Redis Cluster ({@code seeds}: redis://host:port,…), reconciling every 500 ms. */
    static HubInstance onCluster(String seeds) {
        return new HubInstance(
                new GatewayRedisConfig(
                        seeds,
                        "stepcast",
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        "cluster",
                        Duration.ofMillis(500)),
                HubConfig.defaults());
    }

    private HubInstance(GatewayRedisConfig config, HubConfig hubConfig) {
        connections = new RedisConnections(config, resources, health);
        bus = config.redisMode() == RedisMode.CLUSTER
                ? new LettuceClusterPlanBus(connections, health, config, resources)
                : new LettucePlanBus(connections, health, config);
        store = new LettucePlanStore(connections, config);
        hub = new DefaultPlanHub(bus, store, health, hubConfig, registry);
        sessions = new SessionRouter(bus, sessionIds);
        await().atMost(Duration.ofSeconds(30)).until(health::isUp);
    }

    double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Override
    public void close() {
        hub.close();
        connections.close();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
