package io.stepcast.gateway.ops;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.stepcast.gateway.redis.RedisHealth;
import io.stepcast.gateway.ws.DrainState;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Readiness of this gateway ({@code /health/readiness}, and part of {@code /health}): DOWN while
 * draining or while either Redis connection (commands, pub/sub) is down. Reads in-memory state only
 * ({@link RedisHealth} is kept current by the connections' own events): a health check never opens a
 * connection or sends a Redis command.
 */
@Singleton
@Readiness
public final class ReadinessIndicator implements HealthIndicator {

    static final String NAME = "stepcast";

    private final DrainState drain;
    private final RedisHealth redis;

    ReadinessIndicator(DrainState drain, RedisHealth redis) {
        this.drain = drain;
        this.redis = redis;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean draining = drain.isDraining();
        Map<String, Object> details = new LinkedHashMap<>();
        boolean redisUp = redis.isUp();
        details.put("draining", draining);
        details.put("redis", redis.describe());
        HealthStatus status = draining || !redisUp ? HealthStatus.DOWN : HealthStatus.UP;
        return Publishers.just(
                HealthResult.builder(NAME, status).details(details).build());
    }
}
