package io.stepcast.gateway.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.http.HttpMetrics.Endpoint;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.redis.PlanSnapshot;
import io.stepcast.gateway.redis.PlanStore;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain polling: the plan's cached snapshot, read from Redis in one round trip (the snapshot and the
 * meta it belongs to are read atomically) and returned byte for byte.
 *
 * <ul>
 *   <li>{@code ETag: "<epoch>:<seq>"} (strong), so it always names the body it comes with;
 *       {@code If-None-Match} with the current tag answers 304 without a body;</li>
 *   <li>{@code ?tails=false}: the snapshot without the steps' {@code output_tail} (a lighter body for
 *       slow links), with its own tag {@code "<epoch>:<seq>:no-tails"};</li>
 *   <li>{@code X-Poll-Interval}: the suggested interval in seconds ({@code stepcast.http.poll.interval});</li>
 *   <li>{@code Cache-Control: no-cache}: caches must revalidate (with the ETag) every time;</li>
 *   <li>unknown plan (no events yet, or expired): 404 {@code not_found}; invalid plan id: 400;
 *       Redis unavailable: 503 with {@code Retry-After}.</li>
 * </ul>
 *
 * <p>Threading: never blocks; the response completes on a Redis I/O thread.
 */
@Controller
public class PollController {

    private static final Logger LOG = LoggerFactory.getLogger(PollController.class);

    private final PlanStore store;
    private final PollConfig config;
    private final HttpMetrics metrics;

    PollController(PlanStore store, PollConfig config, HttpMetrics metrics) {
        this.store = store;
        this.config = config;
        this.metrics = metrics;
    }

    /** The plan's snapshot. */
    @Get(uri = "/api/plans/{plan}", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<MutableHttpResponse<byte[]>> plan(
            @PathVariable("plan") String plan,
            @Nullable @QueryValue("tails") String tails,
            @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return poll(Endpoint.PLAN, plan, tails, ifNoneMatch);
    }

    /**
     * The path the existing dashboards poll: the same snapshot, whose top level already carries
     * {@code steps}, {@code overall_status} and {@code last_update}.
     */
    @Get(uri = "/api/dashboard/plan/{plan}/poll", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<MutableHttpResponse<byte[]>> dashboard(
            @PathVariable("plan") String plan,
            @Nullable @QueryValue("tails") String tails,
            @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return poll(Endpoint.DASHBOARD, plan, tails, ifNoneMatch);
    }

    private CompletableFuture<MutableHttpResponse<byte[]>> poll(
            Endpoint endpoint, String plan, String tailsParam, String ifNoneMatch) {
        if (!RedisLayout.isValidPlanId(plan)) {
            return CompletableFuture.completedFuture(count(endpoint, ApiErrors.invalidPlanId()));
        }
        Boolean tails = tailsParam == null || tailsParam.equals("true")
                ? Boolean.TRUE
                : tailsParam.equals("false") ? Boolean.FALSE : null;
        if (tails == null) {
            return CompletableFuture.completedFuture(
                    count(endpoint, ApiErrors.badRequest("tails", "tails must be true or false")));
        }
        CompletableFuture<PlanSnapshot> read;
        try {
            read = store.snapshot(plan);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        return read.handle((snapshot, error) -> {
            if (error != null) {
                LOG.debug("poll of {} failed: {}", plan, error.toString());
                return count(endpoint, ApiErrors.unavailable("Redis is unavailable; retry shortly", 1));
            }
            return count(endpoint, respond(plan, snapshot, tails, ifNoneMatch));
        });
    }

    private MutableHttpResponse<byte[]> respond(String plan, PlanSnapshot snapshot, boolean tails, String ifNoneMatch) {
        if (snapshot == null || snapshot.isEmpty() || snapshot.state() == null) {
            return headers(
                    ApiErrors.of(
                            HttpStatus.NOT_FOUND,
                            ErrorCode.NOT_FOUND,
                            "plan_id",
                            null,
                            "plan '" + plan + "' has no events (unknown or expired)"),
                    null);
        }
        String etag = tails
                ? ETags.of(snapshot.epoch(), snapshot.seq())
                : ETags.withoutTails(snapshot.epoch(), snapshot.seq());
        if (ifNoneMatch != null && ETags.matches(ifNoneMatch, etag)) {
            return headers(HttpResponse.status(HttpStatus.NOT_MODIFIED), etag);
        }
        byte[] body = tails ? snapshot.state() : OutputTails.strip(snapshot.state());
        return headers(HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE), etag);
    }

    private <T> MutableHttpResponse<T> headers(MutableHttpResponse<T> response, String etag) {
        if (etag != null) {
            response.header(HttpHeaders.ETAG, etag);
        }
        return response.header("X-Poll-Interval", config.headerValue()).header(HttpHeaders.CACHE_CONTROL, "no-cache");
    }

    @SuppressWarnings("unchecked")
    private MutableHttpResponse<byte[]> count(Endpoint endpoint, MutableHttpResponse<?> response) {
        metrics.pollRequest(endpoint, response.code());
        return (MutableHttpResponse<byte[]>) response;
    }
}
