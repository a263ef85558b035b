package io.stepcast.gateway.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.presence.Presence;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/plans/{plan}/watchers}: {@code {"plan_id":"p-42","watchers":3}}, the plan's
 * WebSocket subscriptions, SSE streams and waiting long-polls over every live gateway
 * ({@link Presence}; up to about one heartbeat old). A plan nobody watches, known or not, has 0.
 *
 * <ul>
 *   <li>the token must grant the plan, like every plan route (401/403 before this runs);</li>
 *   <li>invalid plan id: 400 {@code invalid_plan_id}; Redis unavailable: 503 {@code unavailable} with
 *       {@code Retry-After};</li>
 *   <li>{@code Cache-Control: no-cache}.</li>
 * </ul>
 *
 * <p>Threading: never blocks; the response completes on a Redis I/O thread.
 */
@Controller
public class WatchersController {

    private static final Logger LOG = LoggerFactory.getLogger(WatchersController.class);

    private final Presence presence;

    WatchersController(Presence presence) {
        this.presence = presence;
    }

    /** The plan's watchers. */
    @Get(uri = "/api/plans/{plan}/watchers", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<MutableHttpResponse<byte[]>> watchers(@PathVariable("plan") String plan) {
        if (!RedisLayout.isValidPlanId(plan)) {
            return CompletableFuture.completedFuture(ApiErrors.invalidPlanId());
        }
        return presence.watchers(plan).handle((n, error) -> {
            if (error != null) {
                LOG.debug("watchers of {} not read: {}", plan, error.toString());
                return ApiErrors.unavailable("Redis is unavailable; retry shortly", 1);
            }
            // the plan id's charset needs no JSON escaping
            byte[] body = ("{\"plan_id\":\"" + plan + "\",\"watchers\":" + n + "}").getBytes(StandardCharsets.UTF_8);
            return HttpResponse.ok(body)
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.CACHE_CONTROL, "no-cache");
        });
    }
}
