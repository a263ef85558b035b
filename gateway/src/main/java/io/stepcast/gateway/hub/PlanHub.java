package io.stepcast.gateway.hub;

import io.stepcast.gateway.protocol.Cursor;
import java.util.Map;

/**
 * The per-instance hub: routes each plan's Redis channel to the local subscribers of that plan.
 *
 * <p>Guarantees: a plan's channel is subscribed in Redis while at least one local subscriber watches
 * it and unsubscribed when the last one leaves (reference counted, race-free). Each subscriber gets
 * each event of a plan exactly once, in seq order, with no gap: live holes (a lost pub/sub message,
 * a Redis reconnect) are repaired from the plan's log before later events are delivered; an epoch
 * change is delivered as a fresh snapshot.
 *
 * <p>Threading: every method is thread-safe and returns at once, without blocking on Redis; results
 * arrive through the {@link Subscriber} callbacks. Calls for one subscriber should come from one
 * thread at a time (a connection's own event loop). Limits (subscriptions per connection, plan id
 * validity, access control) are the caller's job; the hub trusts its input.
 *
 * <p>Redis down: a subscribe fails with {@link HubFailure#UNAVAILABLE} (at once when the outage is
 * known, else after {@code stepcast.hub.subscribe-timeout}); live subscriptions survive an outage and
 * are caught up from the log (or restarted from a snapshot if Redis lost the plan).
 *
 * @see DefaultPlanHub
 */
public interface PlanHub {

    /**
     * Starts (or restarts) the subscriber's subscription to a plan.
     *
     * @param cursor null for "snapshot, then live"; otherwise resume after {@code cursor} when the
     *               epoch matches and the log still covers it, else a fresh snapshot
     */
    void subscribe(Subscriber subscriber, String planId, Cursor cursor);

    /**
     * Ends one subscription; a no-op when there is none. No {@code onSubscribed}, {@code onSnapshot} or
     * {@code onEvent} of that plan follows its return (an {@code onFailed} already under way may).
     */
    void unsubscribe(Subscriber subscriber, String planId);

    /** Ends every subscription of the subscriber (connection closed). */
    void unsubscribeAll(Subscriber subscriber);

    /** Number of plans with at least one local subscriber (= Redis channels subscribed). */
    int activePlans();

    /** Number of subscriptions across all plans. */
    int activeSubscriptions();

    /**
     * Subscriptions per plan (plans without any are absent): every kind of subscriber counts once per
     * plan it watches, from its {@link #subscribe} until it leaves, fails or is dropped. A live,
     * unmodifiable view, weakly consistent: each count read is exact at its read, the map as a whole is
     * not one instant. Cost: none (no copy; a presence heartbeat over 10,000 plans copied it every
     * time).
     */
    Map<String, Integer> subscriptionsByPlan();
}
