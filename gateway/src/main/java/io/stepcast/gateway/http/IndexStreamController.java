package io.stepcast.gateway.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.stepcast.gateway.auth.AuthResult;
import io.stepcast.gateway.auth.ClientAuthenticator;
import io.stepcast.gateway.auth.PlanAccess;
import io.stepcast.gateway.index.IndexFeed;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.web.Admission;
import io.stepcast.gateway.web.ConnectionQuota;
import jakarta.inject.Named;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live plan index over Server-Sent Events: {@code GET /api/plan-index/stream?prefix=&limit=} (see
 * {@link IndexSseStream} for the stream's shape). {@code prefix} and {@code limit} follow
 * {@code GET /api/plans}; {@code Last-Event-ID} ({@code <epoch>:<seq>} of the index, as sent in the
 * stream's {@code id:} fields) resumes with the missed changes when the index log still holds them.
 * Only plans the token grants are sent. Limits: like plan streams ({@code max-streams}, the
 * per-client quota), past them 503.
 */
@Controller
public class IndexStreamController {

    private final IndexFeed feed;
    private final SseConfig config;
    private final HttpMetrics metrics;
    private final ScheduledExecutorService timers;
    private final ConnectionQuota quota;
    private final ClientAuthenticator authenticator;
    private final HttpStreams streams;

    IndexStreamController(
            IndexFeed feed,
            SseConfig config,
            HttpMetrics metrics,
            @Named(HttpTimers.NAME) ScheduledExecutorService timers,
            ConnectionQuota quota,
            ClientAuthenticator authenticator,
            HttpStreams streams) {
        this.streams = streams;
        this.feed = feed;
        this.config = config;
        this.metrics = metrics;
        this.timers = timers;
        this.quota = quota;
        this.authenticator = authenticator;
    }

    @Get(
            uri = "/api/plan-index/stream",
            produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    HttpResponse<?> stream(
            @Nullable @QueryValue("prefix") String prefix,
            @Nullable @QueryValue("limit") String limit,
            @Nullable @Header("Last-Event-ID") String lastEventId,
            HttpRequest<?> request) {
        Parsed<PlansQuery> parsed = PlansQuery.parse(prefix, null, limit, null);
        if (parsed instanceof Parsed.Invalid<PlansQuery> invalid) {
            return invalid.response();
        }
        PlansQuery query = ((Parsed.Ok<PlansQuery>) parsed).value();
        Cursor.Parse cursor = lastEventId != null && !lastEventId.isBlank()
                ? Cursor.fromLastEventId(lastEventId, null)
                : new Cursor.Ok(null);
        if (cursor instanceof Cursor.Invalid invalid) {
            return ApiErrors.badRequest(invalid.field(), invalid.message());
        }
        if (!(authenticator.authenticateUpgrade(request) instanceof AuthResult.Granted granted)) {
            return ApiErrors.of(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "the plan index needs a client token");
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
        PlanAccess access = granted.principal().access();
        String p = query.prefix();
        IndexSseStream[] self = new IndexSseStream[1];
        IndexSseStream stream = new IndexSseStream(
                feed,
                timers,
                config,
                metrics,
                plan -> plan.startsWith(p) && access.canRead(plan),
                query.limit(),
                ((Cursor.Ok) cursor).cursor(),
                () -> {
                    streams.remove(self[0]);
                    metrics.sseStreams().decrementAndGet();
                    lease.release();
                });
        self[0] = stream;
        stream.outbox().bind(SseOutputs.channelOf(request));
        streams.add(stream);
        timers.schedule(stream::closeIfNeverSubscribed, SseController.SUBSCRIBE_DEADLINE_SECONDS, TimeUnit.SECONDS);
        return HttpResponse.ok(stream.publisher())
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no");
    }
}
