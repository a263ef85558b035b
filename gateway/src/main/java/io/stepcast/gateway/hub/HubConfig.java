package io.stepcast.gateway.hub;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Tuning of the plan hub ({@code stepcast.hub.*}).
 *
 * @param subscribeTimeout a subscription that is not live within this time (snapshot, replay and
 *                         catch-up included) fails with {@link HubFailure#UNAVAILABLE} (10 s)
 * @param logPageSize      log entries per read when replaying or repairing (1 000)
 * @param holdMaxFrames    live frames a plan holds back while it repairs or resyncs; past it they
 *                         are dropped and re-read from the log instead (10 000)
 * @param holdMaxBytes     the same bound in bytes (16 MiB)
 */
@ConfigurationProperties("stepcast.hub")
public record HubConfig(
        @Bindable(defaultValue = "10s") @NotNull Duration subscribeTimeout,

        @Bindable(defaultValue = "1000") @Min(1) @Max(10_000)
        int logPageSize,

        @Bindable(defaultValue = "10000") @Min(1) int holdMaxFrames,
        @Bindable(defaultValue = "16777216") @Min(1024) long holdMaxBytes) {

    /** The defaults, for code that builds a hub without a context (tests, tools). */
    public static HubConfig defaults() {
        return new HubConfig(Duration.ofSeconds(10), 1000, 10_000, 16L << 20);
    }
}
