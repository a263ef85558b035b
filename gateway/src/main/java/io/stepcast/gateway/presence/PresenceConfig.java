package io.stepcast.gateway.presence;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Presence ({@code stepcast.presence.*}).
 *
 * @param enabled   keep this gateway's counts in Redis and answer with the sums over all gateways
 *                  (default true); false: no presence keys, and {@link Presence} answers with this
 *                  instance's own counts
 * @param heartbeat how often this gateway writes its changes and its deadline, and how often its plan
 *                  index watches get changed watcher counts (default 5 s, 100 ms to 5 min); a gateway
 *                  that stops drops out two to three heartbeats after its last one
 */
@ConfigurationProperties("stepcast.presence")
public record PresenceConfig(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "5s") @NotNull Duration heartbeat) {

    /** Validates what annotations cannot express. */
    public PresenceConfig {
        if (heartbeat != null
                && (heartbeat.compareTo(Duration.ofMillis(100)) < 0
                        || heartbeat.compareTo(Duration.ofMinutes(5)) > 0)) {
            throw new IllegalArgumentException(
                    "stepcast.presence.heartbeat must be between 100ms and 5m, was " + heartbeat);
        }
    }

    /** How long a gateway stays counted after its last heartbeat: two heartbeats. */
    public Duration deadline() {
        return heartbeat.multipliedBy(2);
    }
}
