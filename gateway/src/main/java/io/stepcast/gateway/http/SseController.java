package io.stepcast.gateway.http;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.EventFilter;
import jakarta.inject.Named;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Server-Sent Events: {@code GET /api/plans/{plan}/stream} (see {@link SseStream} for the stream's
 * shape, buffering and slow-consumer bound).
 *
 * <p>Resume: {@code Last-Event-ID} ({@code <epoch>:<seq>}, as sent in the stream's {@code id:}
 * fields; a browser's {@code EventSource} sends it by itself when it reconnects) or
 * {@code ?since=<seq>&epoch=<epoch>}; {@code Last-Event-ID} wins when both are present. Without
 * either, the stream starts with the plan's snapshot.
 *
 * <p>Limits, registration and token expiry: {@link SseAdmission} (503 {@code unavailable} past the
 * instance's or the client's limit; a stream opened with an expiring token ends when it expires).
 *
 * <p>Authentication: checked per plan before this runs ({@code PlanAccessRule}).
 */
@Controller
public class SseController {

    private final BeanProvider<PlanHub> hub;
    private final SseConfig config;
    private final HttpMetrics metrics;
    private final ScheduledExecutorService timers;
    private final SseAdmission admission;

    SseController(
            BeanProvider<PlanHub> hub,
            SseConfig config,
            HttpMetrics metrics,
            @Named(HttpTimers.NAME) ScheduledExecutorService timers,
            SseAdmission admission) {
        this.hub = hub;
        this.config = config;
        this.metrics = metrics;
        this.timers = timers;
        this.admission = admission;
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
        return admission.open(
                request,
                onClose -> new SseStream(
                        planHub,
                        timers,
                        timers,
                        config,
                        metrics,
                        plan,
                        ((Cursor.Ok) cursor).cursor(),
                        ((EventFilter.Ok) filter).filter(),
                        onClose));
    }
}
