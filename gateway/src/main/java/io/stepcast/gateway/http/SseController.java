package io.stepcast.gateway.http;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.authentication.Authentication;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.auth.AuthConfig;
import io.stepcast.gateway.auth.ClientPrincipal;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.EventFilter;
import io.stepcast.gateway.web.Admission;
import io.stepcast.gateway.web.ConnectionQuota;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Server-Sent Events: {@code GET /api/plans/{plan}/stream} (see {@link SseStream} for the stream's
 * shape, buffering and slow-consumer bound).
 *
 * <p>Resume: {@code Last-Event-ID} ({@code <epoch>:<seq>}, as sent in the stream's {@code id:}
 * fields; a browser's {@code EventSource} sends it by itself when it reconnects) or
 * {@code ?since=<seq>&epoch=<epoch>}; {@code Last-Event-ID} wins when both are present. Without
 * either, the stream starts with the plan's snapshot.
 *
 * <p>Limits: the instance's {@code stepcast.http.sse.max-streams} and the per-client
 * {@link ConnectionQuota} (per token subject, per client address); past either, 503 {@code unavailable}.
 *
 * <p>Authentication: checked per plan before this runs ({@code PlanAccessRule}); a stream opened
 * with an expiring token ends when the token expires ({@link SseStream#endAt}).
 */
@Controller
public class SseController {

    /** A stream Micronaut has not started writing by then is released (its client is gone). */
    static final long SUBSCRIBE_DEADLINE_SECONDS = 30;

    private final BeanProvider<PlanHub> hub;
    private final SseConfig config;
    private final HttpMetrics metrics;
    private final HttpStreams streams;
    private final ScheduledExecutorService timers;
    private final ConnectionQuota quota;
    /** The leeway after {@code exp} during which the gateway still honours a token. */
    private final Duration clockSkew;

    SseController(
            BeanProvider<PlanHub> hub,
            SseConfig config,
            HttpMetrics metrics,
            HttpStreams streams,
            @Named(HttpTimers.NAME) ScheduledExecutorService timers,
            ConnectionQuota quota,
            AuthConfig auth) {
        this.hub = hub;
        this.clockSkew = auth.clockSkew();
        this.quota = quota;
        this.config = config;
        this.metrics = metrics;
        this.streams = streams;
        this.timers = timers;
    }

    @Get(
            uri = "/api/plans/{plan}/stream",
            produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    HttpResponse<?> stream(
            @PathVariable("plan") String plan,
            @Nullable @Header("Last-Event-ID") String lastEventId,
            @Nullable @QueryValue("since") String since,
            @Nullable @QueryValue("epoch") String epoch,
            @Nullable @QueryValue("events") String events,
            HttpRequest<?> request) {
        if (!RedisLayout.isValidPlanId(plan)) {
            return ApiErrors.invalidPlanId();
        }
        Cursor.Parse cursor = lastEventId != null && !lastEventId.isBlank()
                ? Cursor.fromLastEventId(lastEventId, epoch)
                : Cursor.fromQuery(since, epoch);
        if (cursor instanceof Cursor.Invalid invalid) {
            return ApiErrors.badRequest(invalid.field(), invalid.message());
        }
        EventFilter.Parse filter = EventFilter.fromQuery(events);
        if (filter instanceof EventFilter.Invalid invalid) {
            return ApiErrors.badRequest(invalid.field(), invalid.message());
        }
        PlanHub planHub = hub.orElse(null);
        if (planHub == null) {
            return ApiErrors.unavailable("the event hub is not running on this instance", 5);
        }
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
        SseStream[] self = new SseStream[1];
        SseStream stream = new SseStream(
                planHub,
                timers,
                timers,
                config,
                metrics,
                plan,
                ((Cursor.Ok) cursor).cursor(),
                ((EventFilter.Ok) filter).filter(),
                () -> {
                    streams.remove(self[0]);
                    metrics.sseStreams().decrementAndGet();
                    lease.release();
                });
        self[0] = stream;
        stream.outbox().bind(SseOutputs.channelOf(request));
        streams.add(stream);
        timers.schedule(stream::closeIfNeverSubscribed, SUBSCRIBE_DEADLINE_SECONDS, TimeUnit.SECONDS);
        // the security filter's result (absent with auth off, where nothing expires)
        request.getUserPrincipal(Authentication.class)
                .flatMap(a -> ClientPrincipal.from(a, clockSkew))
                .map(ClientPrincipal::expiresAt)
                .ifPresent(stream::endAt);
        return HttpResponse.ok(stream.publisher())
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no");
    }
}
