package io.stepcast.gateway.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Long-poll ({@code stepcast.http.long-poll.*}): {@code GET /api/plans/{plan}/events}.
 *
 * @param maxWait      the longest {@code wait} a client may ask for (default 30 s); longer asks are
 *                     clamped to it, never refused
 * @param defaultLimit events per page when the client gives no {@code limit} (default 100)
 * @param maxLimit     the largest {@code limit} a client may ask for (default 1000)
 * @param maxWaiting   requests that may wait at once on this instance (default 20 000); past it a
 *                     request asking to wait gets 503 {@code unavailable} with {@code Retry-After}
 */
@ConfigurationProperties("stepcast.http.long-poll")
public record LongPollConfig(
        @Bindable(defaultValue = "30s") @NotNull Duration maxWait,

        @Bindable(defaultValue = "100") @Min(1) @Max(100_000)
        int defaultLimit,

        @Bindable(defaultValue = "1000") @Min(1) @Max(100_000)
        int maxLimit,

        @Bindable(defaultValue = "20000") @Min(0) int maxWaiting) {

    public LongPollConfig {
        if (maxWait.isNegative() || maxWait.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("stepcast.http.long-poll.max-wait must be 0..5m: " + maxWait);
        }
        if (defaultLimit > maxLimit) {
            throw new IllegalArgumentException("stepcast.http.long-poll.default-limit (" + defaultLimit
                    + ") must not exceed max-limit (" + maxLimit + ")");
        }
    }
}
