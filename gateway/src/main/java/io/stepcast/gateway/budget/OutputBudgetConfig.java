package io.stepcast.gateway.budget;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The gateway-wide budget of pending output, block {@code stepcast.output-budget}
 * (docs/configuration.md).
 *
 * @param maxBytes        pending output of every WebSocket connection and SSE stream together (the
 *                        gateway's queues and Netty's outbound buffers, each frame counted as its
 *                        bytes plus {@link OutputBudget#FRAME_OVERHEAD}); past it the furthest-behind
 *                        clients are shed as slow consumers. Default (unset):
 *                        {@value #DEFAULT_HEAP_PERCENT} % of the JVM's maximum heap
 *                        ({@code Runtime.maxMemory()}); {@value #MIN_BYTES} to {@value #MAX_BYTES}
 * @param lowWaterPercent once over {@code maxBytes}, clients are shed until the open outputs hold at
 *                        most this percentage of it (10–95, default 75), so one check sheds enough for
 *                        a while instead of one client per check
 * @param checkInterval   how often the pending output is summed (10 ms to 10 s, default 100 ms); the
 *                        sum can pass {@code maxBytes} by what the gateway queues in one interval
 * @param cutAfter        while the total is still over {@code maxBytes}, a client shed this long ago
 *                        that still holds output (it reads slowly or not at all) loses its connection
 *                        at once instead of at {@code stepcast.ws.close-timeout}, so its memory comes
 *                        back (default 1 s, at least {@code checkInterval})
 */
@ConfigurationProperties("stepcast.output-budget")
public record OutputBudgetConfig(
        @Nullable @Min(MIN_BYTES) @Max(MAX_BYTES) Long maxBytes,

        @Min(10) @Max(95) @Bindable(defaultValue = "75") int lowWaterPercent,

        @NotNull @Bindable(defaultValue = "100ms") Duration checkInterval,
        @NotNull @Bindable(defaultValue = "1s") Duration cutAfter) {

    /** The default budget's share of the maximum heap, in percent. */
    public static final int DEFAULT_HEAP_PERCENT = 25;

    /** Smallest budget: 1 MiB. */
    public static final long MIN_BYTES = 1024 * 1024;

    /** Largest budget: 1 PiB (no heap comes near it). */
    public static final long MAX_BYTES = 1L << 50;

    public OutputBudgetConfig {
        if (maxBytes == null) {
            maxBytes = Math.max(MIN_BYTES, Runtime.getRuntime().maxMemory() / 100 * DEFAULT_HEAP_PERCENT);
        }
        if (checkInterval != null
                && (checkInterval.compareTo(Duration.ofMillis(10)) < 0
                        || checkInterval.compareTo(Duration.ofSeconds(10)) > 0)) {
            throw new ConfigurationException(
                    "stepcast.output-budget.check-interval must be between 10ms and 10s, was " + checkInterval);
        }
        if (cutAfter != null && checkInterval != null && cutAfter.compareTo(checkInterval) < 0) {
            throw new ConfigurationException("stepcast.output-budget.cut-after (" + cutAfter
                    + ") must be at least stepcast.output-budget.check-interval (" + checkInterval + ")");
        }
    }

    /** The level shedding brings the open outputs down to: {@code lowWaterPercent} of {@code maxBytes}. */
    public long lowWaterBytes() {
        return Math.multiplyExact(maxBytes, lowWaterPercent) / 100;
    }
}
