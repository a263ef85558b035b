package io.stepcast.gateway.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of {@code stepcast.auth.jwks-url}, fetched with the JDK's HTTP client off the event
 * loop and kept in memory.
 *
 * <ul>
 *   <li>A key set verifies for {@code refresh + grace} after its fetch; past {@code refresh} it is
 *       refetched in the background while it keeps verifying (a slow or failing URL never delays a
 *       token whose key is known).</li>
 *   <li>At most one fetch is in flight, and fetches start at least {@code min-refetch-interval}
 *       apart, whatever asks for them: an unknown {@code kid}, a stale set, a failure. A request that
 *       needs a fetch waits for the one in flight, at most {@code fetch-timeout}; otherwise it gets the
 *       current keys at once.</li>
 *   <li>A failed fetch logs one WARN line (status or error class, never a stack trace); the rate limit
 *       bounds those lines too.</li>
 * </ul>
 * Thread-safe: all state is in one immutable {@link State} swapped under this object's monitor; the
 * monitor is held for bookkeeping only, never across I/O.
 */
public final class JwksKeys {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
    /** Largest key set accepted, in bytes. */
    static final int MAX_BYTES = 512 * 1024;

    /** Keys of the last good fetch (null before the first), when fetched, and the fetch in flight. */
    private record State(JWKSet keys, Instant fetchedAt, Instant lastAttempt, CompletableFuture<JWKSet> inflight) {}

    private final URI url;
    private final JwksConfig config;
    private final HttpClient http;
    private final Clock clock;
    private State state = new State(null, Instant.EPOCH, Instant.EPOCH, null);

    public JwksKeys(String url, JwksConfig config, Clock clock) {
        this.url = URI.create(url);
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.fetchTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Starts the first fetch without waiting for it (called at start-up). */
    public void prefetch() {
        fetchIfAllowed(true);
    }

    /**
     * The keys to verify a token whose header names {@code kid} (null: none named). Completes at once
     * when the current keys hold it; otherwise after the fetch this call may start or join (bounded
     * by {@code fetch-timeout}), with whatever keys are usable then (empty when none).
     */
    public CompletionStage<List<JWK>> keysFor(String kid) {
        Instant now = clock.instant();
        JWKSet usable = usable(now);
        if (usable != null && hasKey(usable, kid)) {
            if (isStale(now)) {
                fetchIfAllowed(false);
            }
            return CompletableFuture.completedFuture(usable.getKeys());
        }
        CompletableFuture<JWKSet> fetch = fetchIfAllowed(false);
        if (fetch == null) {
            return CompletableFuture.completedFuture(usable == null ? List.of() : usable.getKeys());
        }
        return fetch.copy()
                .completeOnTimeout(null, config.fetchTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((keys, error) -> {
                    JWKSet after = usable(clock.instant());
                    return after == null ? List.<JWK>of() : after.getKeys();
                });
    }

    private synchronized JWKSet usable(Instant now) {
        if (state.keys == null
                || now.isAfter(state.fetchedAt.plus(config.refresh()).plus(config.grace()))) {
            return null;
        }
        return state.keys;
    }

    private synchronized boolean isStale(Instant now) {
        return now.isAfter(state.fetchedAt.plus(config.refresh()));
    }

    private static boolean hasKey(JWKSet keys, String kid) {
        return kid == null ? !keys.getKeys().isEmpty() : keys.getKeyByKeyId(kid) != null;
    }

    /** The failure itself rather than the future's wrapper (a refused connect, a timeout). */
    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The fetch in flight, a new one when the rate limit allows, or null. */
    private CompletableFuture<JWKSet> fetchIfAllowed(boolean force) {
        CompletableFuture<JWKSet> started;
        synchronized (this) {
            if (state.inflight != null) {
                return state.inflight;
            }
            Instant now = clock.instant();
            if (!force && now.isBefore(state.lastAttempt.plus(config.minRefetchInterval()))) {
                return null;
            }
            started = new CompletableFuture<>();
            state = new State(state.keys, state.fetchedAt, now, started);
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(config.fetchTimeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            Optional<JWKSet> parsed = Optional.empty();
            if (error != null) {
                LOG.warn(
                        "JWKS fetch from {} failed: {}; the last good keys stay in use",
                        url,
                        cause(error).getClass().getSimpleName());
            } else if (response.statusCode() != 200) {
                LOG.warn("JWKS fetch from {} answered {}; the last good keys stay in use", url, response.statusCode());
            } else if (response.body().length > MAX_BYTES) {
                LOG.warn("JWKS at {} is larger than {} bytes; the last good keys stay in use", url, MAX_BYTES);
            } else {
                try {
                    parsed = Optional.of(JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8)));
                } catch (ParseException e) {
                    LOG.warn("JWKS at {} is not a JWK set; the last good keys stay in use", url);
                }
            }
            JWKSet result;
            synchronized (this) {
                result = parsed.orElse(state.keys);
                state = new State(
                        result, parsed.isPresent() ? clock.instant() : state.fetchedAt, state.lastAttempt, null);
            }
            started.complete(result);
        });
        return started;
    }
}
