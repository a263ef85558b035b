package io.stepcast.gateway.presence;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.hub.SessionIds;
import io.stepcast.gateway.redis.GatewayRedisConfig;
import io.stepcast.gateway.redis.RedisConnections;
import jakarta.inject.Singleton;

/**
 * Owns presence: {@link LettucePresence} (heartbeating from start-up, leaving at shutdown) when
 * {@code stepcast.presence.enabled} (the default), else {@link LocalPresence}. The gateway's presence
 * id is its instance id, the one its session ids start with ({@link SessionIds#instanceId()}).
 *
 * <p>{@link LocalCounts} is injected, not looked up on the first heartbeat: a lookup on the presence
 * thread could create beans while the context is already stopping (a short-lived demo saw the meter
 * binders bound twice).
 */
@Factory
public class PresenceFactory {

    @Context
    @Bean(preDestroy = "close")
    @Requires(property = "stepcast.presence.enabled", notEquals = "false", defaultValue = "true")
    LettucePresence lettucePresence(
            PresenceConfig config,
            LocalCounts local,
            RedisConnections connections,
            GatewayRedisConfig redis,
            SessionIds ids) {
        return new LettucePresence(
                connections,
                new RedisLayout(redis.prefix()),
                config,
                () -> local,
                ids.instanceId(),
                redis.commandTimeout());
    }

    @Singleton
    @Requires(property = "stepcast.presence.enabled", value = "false")
    LocalPresence localPresence(LocalCounts local) {
        return new LocalPresence(local);
    }
}
