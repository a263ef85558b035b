package io.stepcast.gateway.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.stepcast.gateway.hub.HubFailure;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.hub.SharedFrame;
import io.stepcast.gateway.hub.SubscribeResult;
import io.stepcast.gateway.hub.Subscriber;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.EventFilter;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One long-poll request that has to wait (its cursor is at the plan's head) or to be reset: a
 * one-shot {@link Subscriber} of the instance's {@link PlanHub}, so it shares the plan's single Redis
 * subscription and gets exactly the WebSocket resume semantics (replay after the cursor, or a
 * snapshot reset), then live events.
 *
 * <p>It answers once, with the first of: a reset (snapshot), the events that arrived (collected
 * until the hub's current delivery burst is over, at most {@code limit}), the end of the wait (an
 * empty page, cursor unchanged), or a failure (503). Then it leaves the hub. No thread waits: the
 * wait is a timer task.
 *
 * <p>Threading: hub callbacks (Redis I/O threads) and timers race; all state is guarded by
 * {@code this}. The response future is completed outside the lock; joining and leaving the
 * hub is a {@link HubMembership}.
 */
final class LongPollWaiter implements Subscriber {

    /** How long a request that asked not to wait may wait for the hub to answer at all. */
    static final long ESTABLISH_DEADLINE_MS = 10_000;

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id = "longpoll-" + IDS.incrementAndGet();
    private final Executor executor;
    private final String planId;
    private final Cursor cursor;
    private final int limit;
    private final long waitMillis;
    /** The events the request wants; null = every event. */
    private final EventFilter filter;

    private final CompletableFuture<MutableHttpResponse<byte[]>> response = new CompletableFuture<>();
    private final HubMembership membership;

    // guarded by this
    private SubscribeResult start;
    private final List<SharedFrame> events = new ArrayList<>();
    /** Last seq the filter left out since {@link #start} (0: none): the page's cursor covers it. */
    private long filteredThrough;

    private boolean answerScheduled;
    private boolean done;
    private ScheduledFuture<?> timer;

    LongPollWaiter(
            PlanHub hub,
            Executor executor,
            String planId,
            Cursor cursor,
            EventFilter filter,
            int limit,
            long waitMillis) {
        this.executor = executor;
        this.filter = filter;
        this.planId = planId;
        this.cursor = cursor;
        this.limit = limit;
        this.waitMillis = waitMillis;
        this.membership = new HubMembership(hub, executor, this, planId);
    }

    /** Subscribes to the hub and arms the timer; the future completes with the answer. */
    CompletableFuture<MutableHttpResponse<byte[]>> start(ScheduledExecutorService timers) {
        long delay = waitMillis > 0 ? waitMillis : ESTABLISH_DEADLINE_MS;
        ScheduledFuture<?> t = timers.schedule(this::timeout, delay, TimeUnit.MILLISECONDS);
        synchronized (this) {
            if (done) {
                t.cancel(false);
            } else {
                timer = t;
            }
        }
        membership.join(cursor, message -> finish(ApiErrors.unavailable(message, 1)));
        return response;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void onSubscribed(SubscribeResult result) {
        MutableHttpResponse<byte[]> answer = null;
        synchronized (this) {
            if (done) {
                return;
            }
            start = result;
            events.clear(); // a restart (epoch change) voids what was collected
            filteredThrough = 0;
            if (!result.recovered()) {
                if (result.epoch() == null && result.seq() == 0) {
                    // a plan without events: no snapshot follows; the client starts from seq 0
                    answer = page(EventsPage.reset(planId, null, 0, null, filter));
                }
            } else if (waitMillis <= 0) {
                // asked not to wait: replayed events (if any) are read by the client's next request
                answer = page(EventsPage.events(planId, result.epoch(), result.seq(), false, List.of(), filter));
            }
        }
        if (answer != null) {
            finish(answer);
        }
    }

    @Override
    public void onSnapshot(String plan, PlanSnapshot snapshot) {
        MutableHttpResponse<byte[]> answer;
        synchronized (this) {
            if (done) {
                return;
            }
            answer = page(EventsPage.reset(planId, snapshot.epoch(), snapshot.seq(), snapshot.state(), filter));
        }
        finish(answer);
    }

    @Override
    public boolean onEvent(SharedFrame frame) {
        MutableHttpResponse<byte[]> answer = null;
        synchronized (this) {
            if (done || start == null) {
                return true;
            }
            if (filter != null && !filter.matches(frame.event())) {
                filteredThrough = frame.seq(); // the page's cursor will cover it; keep waiting
                return true;
            }
            events.add(frame);
            if (events.size() >= limit) {
                answer = eventsPage(true);
            } else if (!answerScheduled) {
                // answer after the hub's current burst (a replayed page is delivered in one go)
                answerScheduled = true;
                executor.execute(this::answerCollected);
            }
        }
        if (answer != null) {
            finish(answer);
        }
        return true;
    }

    @Override
    public void onFailed(String plan, HubFailure failure) {
        finish(ApiErrors.unavailable(
                "the plan's event stream is unavailable (" + failure.name().toLowerCase(Locale.ROOT)
                        + "); retry with the same cursor",
                1));
    }

    @Override
    public void onDropped(String plan) {
        finish(ApiErrors.unavailable("the request fell behind; retry with the same cursor", 1));
    }

    /** Answers at once with what the request has (graceful shutdown). */
    void answerNow() {
        timeout();
    }

    private void answerCollected() {
        MutableHttpResponse<byte[]> answer;
        synchronized (this) {
            if (done || events.isEmpty()) {
                answerScheduled = false;
                return;
            }
            answer = eventsPage(false);
        }
        finish(answer);
    }

    private void timeout() {
        MutableHttpResponse<byte[]> answer;
        synchronized (this) {
            if (done) {
                return;
            }
            if (!events.isEmpty()) {
                answer = eventsPage(false);
            } else if (start != null && start.recovered()) {
                answer = page(EventsPage.events(
                        planId, start.epoch(), Math.max(start.seq(), filteredThrough), false, List.of(), filter));
            } else if (start == null && cursor != null) {
                // the hub has not answered yet: nothing was skipped, the client simply asks again
                answer = page(EventsPage.events(planId, cursor.epoch(), cursor.seq(), false, List.of(), filter));
            } else {
                answer = ApiErrors.unavailable("the plan's stream could not be opened in time; retry", 1);
            }
        }
        finish(answer);
    }

    /** The collected events as a page. Holds this. */
    private MutableHttpResponse<byte[]> eventsPage(boolean more) {
        SharedFrame last = events.get(events.size() - 1);
        long seq = Math.max(last.seq(), filteredThrough); // events filtered out after the last one
        return page(EventsPage.events(planId, last.epoch(), seq, more, List.copyOf(events), filter));
    }

    private void finish(MutableHttpResponse<byte[]> answer) {
        ScheduledFuture<?> t;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            events.clear();
            t = timer;
        }
        if (t != null) {
            t.cancel(false);
        }
        membership.leave();
        response.complete(answer);
    }

    static MutableHttpResponse<byte[]> page(byte[] body) {
        return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
