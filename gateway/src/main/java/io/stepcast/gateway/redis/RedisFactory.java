package io.stepcast.gateway.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.RedisTls;
import jakarta.inject.Singleton;

/**
 * Owns the Lettuce lifecycle of a gateway instance: one {@link ClientResources} (I/O threads,
 * timers) and the {@link RedisConnections} (one command connection, one pub/sub connection).
 *
 * <p>{@link RedisConnections} is a {@link Context} bean: it is created at start-up, so a gateway
 * without {@code stepcast.redis.uri} fails at once with {@link GatewayRedisConfig#MISSING_URI},
 * while a gateway whose Redis is merely down starts, reports not-ready and connects later.
 */
@Factory
public class RedisFactory {

    @Singleton
    @Bean(preDestroy = "shutdown")
    ClientResources stepcastClientResources() {
        return DefaultClientResources.builder().build();
    }

    @Context
    @Bean(preDestroy = "close")
    RedisConnections redisConnections(
            GatewayRedisConfig config,
            @Nullable GatewayRedisTlsConfig tls,
            ClientResources resources,
            RedisHealth health) {
        return new RedisConnections(config, tls == null ? RedisTls.NONE : tls.files(), resources, health);
    }

    /** The plan bus of the configured mode: {@link LettucePlanBus} or {@link LettuceClusterPlanBus}. */
    @Singleton
    PlanBus planBus(
            RedisConnections connections, RedisHealth health, GatewayRedisConfig config, ClientResources resources) {
        return config.redisMode() == RedisMode.CLUSTER
                ? new LettuceClusterPlanBus(connections, health, config, resources)
                : new LettucePlanBus(connections, health, config);
    }
}
