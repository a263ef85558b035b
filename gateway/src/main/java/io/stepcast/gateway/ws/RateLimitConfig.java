package io.stepcast.gateway.ws;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Per-connection rate limit of client messages, block {@code stepcast.ws.rate-limit}: a token bucket
 * refilled at {@code messagesPerSecond} holding at most {@code burst} tokens. A message without a
 * token is dropped and answered {@code error rate_limited}; a connection that has more than
 * {@code abuseThreshold} messages dropped within one {@code abuseWindow} is closed with 4029.
 */
@ConfigurationProperties("stepcast.ws.rate-limit")
public record RateLimitConfig(
        @Min(1) @Bindable(defaultValue = "20") int messagesPerSecond,
        @Min(1) @Bindable(defaultValue = "60") int burst,
        @Min(1) @Bindable(defaultValue = "100") int abuseThreshold,
        @NotNull @Bindable(defaultValue = "10s") Duration abuseWindow) {

    public RateLimitConfig {
        if (abuseWindow != null && (abuseWindow.isNegative() || abuseWindow.isZero())) {
            throw new ConfigurationException("stepcast.ws.rate-limit.abuse-window must be positive");
        }
    }
}
