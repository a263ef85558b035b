package io.stepcast.gateway.http;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.EventPublisher;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.gateway.redis.GatewayRedisConfig;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The bridge publisher behind HTTP ingest: the same library (validation, atomic publish script,
 * idempotency, retry buffer) an embedded orchestrator uses, on its own Redis connection, opened at
 * the first ingest request. Closed (delivering what it buffered) when the gateway stops.
 */
@Factory
@Requires(property = "stepcast.ingest.enabled", notEquals = "false")
public class IngestPublisherFactory {

    /** Qualifier of the ingest publisher bean. */
    public static final String NAME = "ingest";

    @Singleton
    @Named(NAME)
    @Bean(preDestroy = "close")
    EventPublisher ingestPublisher(GatewayRedisConfig redis) {
        BridgeConfig config = BridgeConfig.defaults().toBuilder()
                .prefix(redis.prefix())
                .redisMode(redis.redisMode())
                .build();
        return LettuceEventPublisher.create(redis.uri(), config);
    }
}
