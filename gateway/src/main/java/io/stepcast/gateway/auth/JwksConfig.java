package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The {@code stepcast.auth.jwks} block: how the key set at {@code stepcast.auth.jwks-url} is fetched
 * and kept ({@link JwksKeys}).
 *
 * <pre>
 * stepcast.auth.jwks.refresh               a key set older than this is refetched in the background
 *                                          while it keeps verifying (default 5m)
 * stepcast.auth.jwks.min-refetch-interval  fewest seconds between two fetches, whatever asks: an
 *                                          unknown kid, a stale set, a failed fetch (default 30s)
 * stepcast.auth.jwks.fetch-timeout         one fetch's connect + response bound (default 5s)
 * stepcast.auth.jwks.grace                 how long past refresh the last good key set keeps
 *                                          verifying while the URL fails (default 1h)
 * </pre>
 */
@ConfigurationProperties("stepcast.auth.jwks")
public record JwksConfig(
        @Bindable(defaultValue = "5m") Duration refresh,
        @Bindable(defaultValue = "30s") Duration minRefetchInterval,
        @Bindable(defaultValue = "5s") Duration fetchTimeout,
        @Bindable(defaultValue = "1h") Duration grace) {

    public JwksConfig {
        refresh = positive("refresh", refresh, Duration.ofMinutes(5));
        minRefetchInterval = positive("min-refetch-interval", minRefetchInterval, Duration.ofSeconds(30));
        fetchTimeout = positive("fetch-timeout", fetchTimeout, Duration.ofSeconds(5));
        grace = grace == null ? Duration.ofHours(1) : grace;
        if (grace.isNegative()) {
            throw new ConfigurationException("stepcast.auth.jwks.grace must not be negative");
        }
    }

    /** The defaults. */
    public static JwksConfig defaults() {
        return new JwksConfig(null, null, null, null);
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new ConfigurationException("stepcast.auth.jwks." + name + " must be positive");
        }
        return value;
    }
}
