package io.stepcast.gateway.ops;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The {@code stepcast.management} block: who may read the gateway's metrics.
 *
 * <pre>
 * stepcast.management.metrics-key     a key of at least 24 characters; /prometheus answers only
 *                                     requests with {@code Authorization: Bearer <key>}
 * stepcast.management.metrics-public  true: /prometheus answers anyone (a private network only;
 *                                     default false)
 * </pre>
 *
 * <p>With neither set, {@code /prometheus} answers 403 with a typed error saying how to open it. The
 * other management endpoints Micronaut offers ({@code /beans}, {@code /routes}, {@code /threaddump},
 * {@code /refresh}, {@code /info}, {@code /metrics}, {@code /loggers}, {@code /env}, {@code /stop}) are
 * switched off in application.yml; {@code /health}, {@code /health/liveness} and
 * {@code /health/readiness} answer anyone with a status only (see docs/security.md).
 */
@ConfigurationProperties("stepcast.management")
public record ManagementConfig(
        @Nullable String metricsKey,
        @Bindable(defaultValue = "false") boolean metricsPublic) {

    /** Shortest accepted metrics key, in characters. */
    public static final int MIN_KEY_LENGTH = 24;

    public ManagementConfig {
        metricsKey = metricsKey == null || metricsKey.isBlank() ? null : metricsKey.trim();
        if (metricsKey != null && metricsKey.length() < MIN_KEY_LENGTH) {
            throw new ConfigurationException(
                    "stepcast.management.metrics-key must be at least " + MIN_KEY_LENGTH + " characters");
        }
    }
}
