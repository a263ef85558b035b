package io.stepcast.gateway.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Server-Sent Events ({@code stepcast.http.sse.*}): {@code GET /api/plans/{plan}/stream}.
 *
 * @param heartbeat       interval of the {@code : ping} comment that keeps proxies from closing an
 *                        idle stream (default 15 s)
 * @param retry           reconnection delay suggested to clients in the stream's first
 *                        {@code retry:} field (default 2 s)
 * @param maxPendingBytes frames queued for a stream that is not reading, beyond what the socket
 *                        already holds (bounded by the Netty write-buffer high watermark); past it the
 *                        stream is closed as a slow consumer and the client resumes from its last id
 *                        (default 1 MiB, the WebSocket bound)
 * @param maxStreams      streams this instance serves at once (default 20 000); past it 503
 */
@ConfigurationProperties("stepcast.http.sse")
public record SseConfig(
        @Bindable(defaultValue = "15s") @NotNull Duration heartbeat,
        @Bindable(defaultValue = "2s") @NotNull Duration retry,

        @Bindable(defaultValue = "1048576") @Min(1024) @Max(1L << 30)
        long maxPendingBytes,

        @Bindable(defaultValue = "20000") @Min(0) int maxStreams) {

    public SseConfig {
        if (heartbeat.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("stepcast.http.sse.heartbeat must be at least 100ms: " + heartbeat);
        }
        if (retry.isNegative()) {
            throw new IllegalArgumentException("stepcast.http.sse.retry must not be negative: " + retry);
        }
    }
}
