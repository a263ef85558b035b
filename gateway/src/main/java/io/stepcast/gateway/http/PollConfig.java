package io.stepcast.gateway.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Plain polling ({@code stepcast.http.poll.*}): {@code GET /api/plans/{plan}} and the dashboards'
 * {@code GET /api/dashboard/plan/{plan}/poll}.
 *
 * @param interval the polling interval suggested to clients in the {@code X-Poll-Interval} header,
 *                 in seconds on the wire (default 2 s, what the existing dashboards expect); at
 *                 least 100 ms
 */
@ConfigurationProperties("stepcast.http.poll")
public record PollConfig(
        @Bindable(defaultValue = "2s") @NotNull Duration interval) {

    public PollConfig {
        if (interval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("stepcast.http.poll.interval must be at least 100ms: " + interval);
        }
    }

    /** The header value: whole seconds when whole ({@code 2}), else seconds with decimals ({@code 0.5}). */
    public String headerValue() {
        long millis = interval.toMillis();
        if (millis % 1000 == 0) {
            return Long.toString(millis / 1000);
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }
}
