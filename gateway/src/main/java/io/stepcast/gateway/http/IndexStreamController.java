package io.stepcast.gateway.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.stepcast.gateway.auth.ClientPrincipal;
import io.stepcast.gateway.auth.PlanAccess;
import io.stepcast.gateway.index.IndexFeed;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.ErrorCode;
import jakarta.inject.Named;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The live plan index over Server-Sent Events: {@code GET /api/plan-index/stream?prefix=&limit=} (see
 * {@link IndexSseStream} for the stream's shape). {@code prefix} and {@code limit} follow
 * {@code GET /api/plans}; {@code Last-Event-ID} ({@code <epoch>:<seq>} of the index, as sent in the
 * stream's {@code id:} fields) resumes with the missed changes when the index log still holds them.
 * Only plans the token grants are sent.
 *
 * <p>Authentication: the security filter verified the token ({@code /api/**} needs one: 401 without);
 * a publisher key is 403. Limits, registration and token expiry are those of plan streams
 * ({@link SseAdmission}): past a limit 503; the stream ends with {@code event: error}
 * ({@code unauthorized}) when the token it was opened with expires.
 */
@Controller
public class IndexStreamController {

    private final IndexFeed feed;
    private final SseConfig config;
    private final HttpMetrics metrics;
    private final ScheduledExecutorService timers;
    private final SseAdmission admission;

    IndexStreamController(
            IndexFeed feed,
            SseConfig config,
            HttpMetrics metrics,
            @Named(HttpTimers.NAME) ScheduledExecutorService timers,
            SseAdmission admission) {
        this.feed = feed;
        this.config = config;
        this.metrics = metrics;
        this.timers = timers;
        this.admission = admission;
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
        Optional<ClientPrincipal> principal = admission.principal(request);
        if (principal.isEmpty()) {
            return ApiErrors.of(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "the plan index needs a client token");
        }
        PlanAccess access = principal.get().access();
        String p = query.prefix();
        return admission.open(
                request,
                onClose -> new IndexSseStream(
                        feed,
                        timers,
                        config,
                        metrics,
                        plan -> plan.startsWith(p) && access.canRead(plan),
                        query.limit(),
                        ((Cursor.Ok) cursor).cursor(),
                        onClose));
    }
}
