package io.stepcast.gateway.http;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.authentication.Authentication;
import io.stepcast.bridge.EventFrames;
import io.stepcast.bridge.MalformedFrameException;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.auth.AuthConfig;
import io.stepcast.gateway.auth.ClientPrincipal;
import io.stepcast.gateway.http.HttpMetrics.Endpoint;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.EventFilter;
import io.stepcast.gateway.redis.LogPage;
import io.stepcast.gateway.redis.PlanStore;
import io.stepcast.gateway.web.Admission;
import io.stepcast.gateway.web.ConnectionQuota;
import jakarta.inject.Named;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events after a cursor, as a JSON page ({@link EventsPage}); with {@code wait} a long-poll that holds
 * the request until an event arrives or the wait ends.
 *
 * <p>Parameters: {@code events} (an {@link EventFilter}: only these events are in the pages, whose
 * cursor still covers the ones left out), {@code since} (last seq the client has; absent = start with a snapshot),
 * {@code epoch} (the epoch of {@code since}), {@code limit} (events per page, default
 * {@code stepcast.http.long-poll.default-limit}), {@code wait} (seconds, decimals allowed, clamped to
 * {@code stepcast.http.long-poll.max-wait}; 0 = answer at once). A wait never outlives the token the
 * request was authenticated with: it is clamped to the token's remaining lifetime, so a request
 * waiting when its token expires answers then (an empty page, cursor unchanged) and the client's next
 * request needs a fresh token.
 *
 * <p>A waiting request counts against the per-client {@link ConnectionQuota} (per token subject, per
 * client address) while it waits; past it, or past {@code max-waiting}, 503 {@code unavailable}.
 *
 * <p>Resume semantics are the WebSocket's: same epoch and the log still covers {@code since} → the
 * events after it ({@code recovered:true}); otherwise a reset with the plan's {@code snapshot}
 * ({@code recovered:false}). A cursor behind the head is answered from one atomic log read (a page
 * of at most {@code limit} events, {@code more:true} when the log holds more). A cursor at the head
 * that asks to wait, a stale cursor and a request without cursor become a one-shot subscriber of
 * the instance's {@link PlanHub} ({@link LongPollWaiter}): waiting requests hold no thread and no
 * Redis subscription of their own; they share the plan's one subscription, and their wait is a
 * timer task.
 */
@Controller
public class LongPollController {

    private static final Logger LOG = LoggerFactory.getLogger(LongPollController.class);

    private final BeanProvider<PlanHub> hub;
    private final LongPollConfig config;
    private final HttpMetrics metrics;
    private final ScheduledExecutorService timers;
    private final HttpStreams streams;
    private final PlanStore store;
    private final ConnectionQuota quota;
    /** The leeway after {@code exp} during which the gateway still honours a token. */
    private final Duration clockSkew;

    LongPollController(
            BeanProvider<PlanHub> hub,
            PlanStore store,
            LongPollConfig config,
            HttpMetrics metrics,
            HttpStreams streams,
            @Named(HttpTimers.NAME) ScheduledExecutorService timers,
            ConnectionQuota quota,
            AuthConfig auth) {
        this.hub = hub;
        this.quota = quota;
        this.clockSkew = auth.clockSkew();
        this.streams = streams;
        this.store = store;
        this.config = config;
        this.metrics = metrics;
        this.timers = timers;
    }

    @Get(uri = "/api/plans/{plan}/events", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<MutableHttpResponse<byte[]>> events(
            @PathVariable("plan") String plan,
            @Nullable @QueryValue("since") String since,
            @Nullable @QueryValue("epoch") String epoch,
            @Nullable @QueryValue("limit") String limit,
            @Nullable @QueryValue("wait") String wait,
            @Nullable @QueryValue("events") String events,
            HttpRequest<?> request) {
        if (!RedisLayout.isValidPlanId(plan)) {
            return answered(ApiErrors.invalidPlanId());
        }
        Cursor.Parse cursor = Cursor.fromQuery(since, epoch);
        if (cursor instanceof Cursor.Invalid invalid) {
            return answered(ApiErrors.badRequest(invalid.field(), invalid.message()));
        }
        EventFilter.Parse filtered = EventFilter.fromQuery(events);
        if (filtered instanceof EventFilter.Invalid invalid) {
            return answered(ApiErrors.badRequest(invalid.field(), invalid.message()));
        }
        EventFilter filter = ((EventFilter.Ok) filtered).filter();
        Parsed<Integer> pageSize = limit(limit);
        if (pageSize instanceof Parsed.Invalid<Integer> invalid) {
            return answered(invalid.response());
        }
        Parsed<Long> waitMillis = waitMillis(wait);
        if (waitMillis instanceof Parsed.Invalid<Long> invalid) {
            return answered(invalid.response());
        }
        long waitMs = untilTokenExpiry(((Parsed.Ok<Long>) waitMillis).value(), request);
        Cursor from = ((Cursor.Ok) cursor).cursor();
        int max = ((Parsed.Ok<Integer>) pageSize).value();
        if (from == null) {
            return viaHub(plan, null, filter, max, waitMs, request); // snapshot, then live
        }
        CompletableFuture<LogPage> read;
        try {
            read = store.readLog(plan, from.seq(), max);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        return read.handle((page, error) -> {
                    if (error != null) {
                        LOG.debug("long-poll log read of {} failed: {}", plan, error.toString());
                        return answered(ApiErrors.unavailable("Redis is unavailable; retry with the same cursor", 1));
                    }
                    if (!from.continuedBy(page)) {
                        // stale cursor: the hub answers with a reset
                        return viaHub(plan, from, filter, max, waitMs, request);
                    }
                    if (!page.entries().isEmpty()) {
                        List<LogPage.LogEntry> entries = page.entries();
                        long last = entries.get(entries.size() - 1).seq();
                        List<byte[]> frames = entries.stream()
                                .map(LogPage.LogEntry::frame)
                                .filter(f -> filter == null || wanted(filter, f))
                                .toList();
                        if (!frames.isEmpty() || last < page.head() || waitMs <= 0) {
                            // the page's cursor covers the events the filter left out
                            return answered(LongPollWaiter.page(
                                    EventsPage.raw(plan, page.epoch(), last, last < page.head(), frames, filter)));
                        }
                        // only filtered events up to the head: wait after them
                        return viaHub(plan, new Cursor(page.epoch(), last), filter, max, waitMs, request);
                    }
                    if (waitMs <= 0) {
                        return answered(LongPollWaiter.page(
                                EventsPage.events(plan, page.epoch(), from.seq(), false, List.of(), filter)));
                    }
                    // at the head: wait on the plan's shared subscription
                    return viaHub(plan, from, filter, max, waitMs, request);
                })
                .thenCompose(f -> f);
    }

    /** True when the filter wants the log entry's event; an unreadable entry is left out. */
    private static boolean wanted(EventFilter filter, byte[] frame) {
        try {
            return filter.matches(EventFrames.header(frame).event());
        } catch (MalformedFrameException e) {
            LOG.warn("long-poll: a log entry is not an event frame ({}); left out", e.getMessage());
            return false;
        }
    }

    private CompletableFuture<MutableHttpResponse<byte[]>> viaHub(
            String plan, Cursor from, EventFilter filter, int max, long waitMs, HttpRequest<?> request) {
        PlanHub planHub = hub.orElse(null);
        if (planHub == null) {
            return answered(ApiErrors.unavailable("the event hub is not running on this instance", 5));
        }
        if (metrics.longPollWaiting().incrementAndGet() > config.maxWaiting() && waitMs > 0) {
            metrics.longPollWaiting().decrementAndGet();
            return answered(ApiErrors.unavailable("too many waiting requests on this instance; retry", 1));
        }
        ConnectionQuota.Lease lease = null;
        if (waitMs > 0) { // a waiting request holds a connection like a stream
            Admission admission = quota.admit(request);
            if (admission instanceof Admission.Refused refused) {
                metrics.longPollWaiting().decrementAndGet();
                return answered(ApiErrors.unavailable(refused.limit().message(), 5));
            }
            lease = ((Admission.Admitted) admission).lease();
        }
        ConnectionQuota.Lease held = lease;
        LongPollWaiter waiter = new LongPollWaiter(planHub, timers, plan, from, filter, max, waitMs);
        streams.add(waiter);
        return waiter.start(timers).whenComplete((response, error) -> {
            streams.remove(waiter);
            metrics.longPollWaiting().decrementAndGet();
            if (held != null) {
                held.release();
            }
            if (response != null) {
                noCache(response);
                metrics.pollRequest(Endpoint.EVENTS, response.code());
            }
        });
    }

    /**
     * The wait clamped to the remaining lifetime of the request's token, leeway included (the
     * security filter's result; absent with auth off, where nothing expires): a request accepted
     * within the leeway waits until the token is refused, rather than answering at once in a loop.
     */
    private long untilTokenExpiry(long waitMs, HttpRequest<?> request) {
        Instant expiresAt = request.getUserPrincipal(Authentication.class)
                .flatMap(a -> ClientPrincipal.from(a, clockSkew))
                .map(ClientPrincipal::expiresAt)
                .orElse(null);
        if (expiresAt == null || waitMs <= 0) {
            return waitMs;
        }
        return Math.max(
                0, Math.min(waitMs, Duration.between(Instant.now(), expiresAt).toMillis()));
    }

    private CompletableFuture<MutableHttpResponse<byte[]>> answered(MutableHttpResponse<byte[]> response) {
        metrics.pollRequest(Endpoint.EVENTS, response.code());
        return CompletableFuture.completedFuture(noCache(response));
    }

    private static MutableHttpResponse<byte[]> noCache(MutableHttpResponse<byte[]> response) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-cache");
    }

    private Parsed<Integer> limit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return Parsed.ok(config.defaultLimit());
        }
        try {
            int n = Integer.parseInt(limit);
            if (n < 1) {
                return Parsed.invalid(ApiErrors.badRequest("limit", "limit must be at least 1"));
            }
            return Parsed.ok(Math.min(n, config.maxLimit()));
        } catch (NumberFormatException e) {
            return Parsed.invalid(
                    ApiErrors.badRequest("limit", "limit must be an integer between 1 and " + config.maxLimit()));
        }
    }

    private Parsed<Long> waitMillis(String wait) {
        if (wait == null || wait.isEmpty()) {
            return Parsed.ok(0L);
        }
        try {
            BigDecimal seconds = new BigDecimal(wait.endsWith("s") ? wait.substring(0, wait.length() - 1) : wait);
            if (seconds.signum() < 0) {
                return Parsed.invalid(ApiErrors.badRequest("wait", "wait must be >= 0 seconds"));
            }
            long millis = seconds.compareTo(BigDecimal.valueOf(1_000_000)) > 0
                    ? Long.MAX_VALUE
                    : seconds.movePointRight(3).longValue();
            return Parsed.ok(Math.min(millis, config.maxWait().toMillis()));
        } catch (NumberFormatException e) {
            return Parsed.invalid(ApiErrors.badRequest("wait", "wait must be a number of seconds, e.g. 25"));
        }
    }
}
