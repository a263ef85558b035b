package io.stepcast.gateway.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * HTTP ingest for orchestrators that cannot embed the bridge ({@code stepcast.ingest.*}):
 * {@code POST /api/plans/{plan}/events}.
 *
 * @param enabled      false turns the endpoint off (it then answers 404 like an unknown route)
 * @param publisherKey the secret publishers present as {@code Authorization: Bearer <key>}; without
 *                     one every ingest request is refused with 401 (env {@code STEPCAST_INGEST_PUBLISHER_KEY})
 * @param maxEvents    events in one request (one batch, published atomically; default 1000)
 * @param maxBodyBytes request body size limit (default 4 MiB); larger bodies get 413
 */
@ConfigurationProperties("stepcast.ingest")
public record IngestConfig(
        @Bindable(defaultValue = "true") boolean enabled,
        @Nullable String publisherKey,
        @Bindable(defaultValue = "1000") @Min(1) @Max(100_000) int maxEvents,
        @Bindable(defaultValue = "4194304") @Min(1024) @Max(1L << 30) long maxBodyBytes) {

    /** True when a non-blank publisher key is configured. */
    public boolean hasKey() {
        return publisherKey != null && !publisherKey.isBlank();
    }

    @Override
    public String toString() {
        return "IngestConfig[enabled=" + enabled + ", publisherKey=" + (hasKey() ? "***" : "none")
                + ", maxEvents=" + maxEvents + ", maxBodyBytes=" + maxBodyBytes + "]";
    }
}
