package io.stepcast.gateway.ops;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.core.async.publisher.Publishers;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readiness of this gateway ({@code /health/readiness}, and part of {@code /health}): DOWN while
 * draining. Reads in-memory state only: a health check never opens a connection.
 */
@Singleton
@Readiness
public final class ReadinessIndicator implements HealthIndicator {

    static final String NAME = "stepcast";

    private final DrainState drain;

    ReadinessIndicator(DrainState drain) {
        this.drain = drain;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean draining = drain.isDraining();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("draining", draining);
        HealthStatus status = draining ? HealthStatus.DOWN : HealthStatus.UP;
        return Publishers.just(HealthResult.builder(NAME, status).details(details).build());
    }
}
