package io.stepcast.gateway.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * HTTP ingest for orchestrators that cannot embed the bridge ({@code stepcast.ingest.*}):
 * {@code POST /api/plans/{plan}/events}.
 *
 * <p>Who may publish is decided by the auth layer: a key of {@code stepcast.auth.publisher-keys} as
 * {@code Authorization: Bearer <key>} (PROTOCOL.md §6.6); with auth off, anyone may.
 *
 * @param enabled      false turns the endpoint off (it then answers 404 {@code not_found})
 * @param maxEvents    events in one request (one batch, published atomically; default 1000)
 * @param maxBodyBytes request body size limit (default 4 MiB); larger bodies get 413
 */
@ConfigurationProperties("stepcast.ingest")
public record IngestConfig(
        @Bindable(defaultValue = "true") boolean enabled,

        @Bindable(defaultValue = "1000") @Min(1) @Max(100_000)
        int maxEvents,

        @Bindable(defaultValue = "4194304") @Min(1024) @Max(1L << 30)
        long maxBodyBytes) {}
