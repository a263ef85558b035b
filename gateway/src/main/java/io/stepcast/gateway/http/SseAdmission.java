package io.stepcast.gateway.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.security.authentication.Authentication;
import io.stepcast.gateway.auth.AuthConfig;
import io.stepcast.gateway.auth.ClientAuthenticator;
import io.stepcast.gateway.auth.ClientPrincipal;
import io.stepcast.gateway.web.Admission;
import io.stepcast.gateway.web.ConnectionQuota;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Opens every Server-Sent Events stream of this instance (plan streams, plan index streams) the same
 * way: the instance's {@code stepcast.http.sse.max-streams}, the per-client {@link ConnectionQuota}
 * (past either: 503 {@code unavailable}), registration for the graceful drain ({@link HttpStreams}),
 * the release of a stream Micronaut never starts, and the end of the stream when the token it was
 * opened with expires ({@code event: error}, code {@code unauthorized}).
 *
 * <p>Who the client is comes from Micronaut security (the security filter verified the token before
 * the controller ran): {@link #principal} is the {@link ClientPrincipal} of that authentication, with
 * the configured clock-skew leeway on its expiry, or the anonymous principal when auth is off.
 *
 * <p>Threading: never blocks; callable on the event loop.
 */
@Singleton
final class SseAdmission {

    /** A stream Micronaut has not started writing by then is released (its client is gone). */
    static final long SUBSCRIBE_DEADLINE_SECONDS = 30;

    private final SseConfig config;
    private final HttpMetrics metrics;
    private final HttpStreams streams;
    private final ScheduledExecutorService timers;
    private final ConnectionQuota quota;
    private final boolean authEnabled;
    /** The leeway after {@code exp} during which the gateway still honours a token. */
    private final Duration clockSkew;

    SseAdmission(
            SseConfig config,
            HttpMetrics metrics,
            HttpStreams streams,
            @Named(HttpTimers.NAME) ScheduledExecutorService timers,
            ConnectionQuota quota,
            ClientAuthenticator authenticator,
            AuthConfig auth) {
        this.config = config;
        this.metrics = metrics;
        this.streams = streams;
        this.timers = timers;
        this.quota = quota;
        this.authEnabled = authenticator.enabled();
        this.clockSkew = auth.clockSkew();
    }

    /**
     * The client of a request that passed the security filter: its client token's principal, the
     * anonymous principal with auth off, empty for an authentication that is not a client token (a
     * publisher key).
     */
    Optional<ClientPrincipal> principal(HttpRequest<?> request) {
        if (!authEnabled) {
            return Optional.of(ClientPrincipal.anonymous());
        }
        return request.getUserPrincipal(Authentication.class).flatMap(a -> ClientPrincipal.from(a, clockSkew));
    }

    /**
     * Admits a stream: creates it with the callback it must run once when it ends, registers it, and
     * answers the streaming response; or answers 503 when this instance or the client is at its limit
     * (nothing created).
     */
    HttpResponse<?> open(HttpRequest<?> request, Function<Runnable, AdmittedStream> create) {
        if (metrics.sseStreams().incrementAndGet() > config.maxStreams()) {
            metrics.sseStreams().decrementAndGet();
            return ApiErrors.unavailable("too many event streams on this instance; retry", 2);
        }
        Admission admission = quota.admit(request);
        if (admission instanceof Admission.Refused refused) {
            metrics.sseStreams().decrementAndGet();
            return ApiErrors.unavailable(refused.limit().message(), 5);
        }
        ConnectionQuota.Lease lease = ((Admission.Admitted) admission).lease();
        AtomicReference<AdmittedStream> self = new AtomicReference<>();
        Expiry expiry = new Expiry();
        AdmittedStream stream = create.apply(() -> {
            streams.remove(self.get());
            metrics.sseStreams().decrementAndGet();
            lease.release();
            expiry.end();
        });
        self.set(stream);
        stream.outbox().bind(SseOutputs.channelOf(request));
        streams.add(stream);
        timers.schedule(stream::closeIfNeverSubscribed, SUBSCRIBE_DEADLINE_SECONDS, TimeUnit.SECONDS);
        principal(request).map(ClientPrincipal::expiresAt).ifPresent(at -> endAt(stream, at, expiry));
        return HttpResponse.ok(stream.publisher())
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no");
    }

    /** Ends {@code stream} at {@code at}, unless it ended before (then the timer is cancelled). */
    private void endAt(AdmittedStream stream, Instant at, Expiry expiry) {
        long delayMs = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        expiry.set(timers.schedule(() -> stream.finish(AdmittedStream.tokenExpired()), delayMs, TimeUnit.MILLISECONDS));
    }

    /** A stream's expiry timer, cancelled when the stream ends (also when it ended before it was set). */
    private static final class Expiry {
        private ScheduledFuture<?> task;
        private boolean ended;

        synchronized void set(ScheduledFuture<?> timer) {
            if (ended) {
                timer.cancel(false);
            } else {
                task = timer;
            }
        }

        synchronized void end() {
            ended = true;
            if (task != null) {
                task.cancel(false);
            }
        }
    }
}
