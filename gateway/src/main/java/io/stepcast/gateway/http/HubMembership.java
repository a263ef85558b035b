package io.stepcast.gateway.http;

import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.hub.Subscriber;
import io.stepcast.gateway.protocol.Cursor;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One HTTP request's membership of one plan in the {@link PlanHub} (an SSE stream, a waiting
 * long-poll): subscribe once, leave once, whichever order the two ends meet in.
 *
 * <p>The request may end (answer sent, client gone, stream failed) while {@link PlanHub#subscribe} is
 * still running, even from a callback that the subscribe itself triggers. Then the subscribing thread
 * leaves as soon as {@code subscribe} returns; otherwise {@link #leave} hands the unsubscribe to the
 * executor, so it never runs inside a hub callback (which holds the plan's lock).
 *
 * <p>Thread-safe and lock-free: {@link #join} is called once, {@link #leave} any number of times.
 */
final class HubMembership {

    private static final int JOINED = 1;
    private static final int LEFT = 2;

    private final PlanHub hub;
    private final Executor executor;
    private final Subscriber subscriber;
    private final String planId;
    private final AtomicInteger state = new AtomicInteger();

    HubMembership(PlanHub hub, Executor executor, Subscriber subscriber, String planId) {
        this.hub = hub;
        this.executor = executor;
        this.subscriber = subscriber;
        this.planId = planId;
    }

    /**
     * Subscribes the request's subscriber at {@code cursor}. When the hub refuses with an exception,
     * {@code couldNotSubscribe} gets its message (the request then ends, and leaves).
     */
    void join(Cursor cursor, Consumer<String> couldNotSubscribe) {
        try {
            hub.subscribe(subscriber, planId, cursor);
        } catch (RuntimeException e) {
            couldNotSubscribe.accept("could not subscribe: " + e.getMessage());
        }
        if (state.getAndUpdate(s -> s | JOINED) == LEFT) {
            hub.unsubscribe(subscriber, planId); // the request ended while subscribe() ran: leave now
        }
    }

    /** The request ended: leave the hub (now on the executor, or right after {@link #join} returns). */
    void leave() {
        if (state.getAndUpdate(s -> s | LEFT) == JOINED) {
            executor.execute(() -> hub.unsubscribe(subscriber, planId));
        }
    }
}
