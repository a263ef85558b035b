package io.stepcast.gateway.ws;

import io.stepcast.gateway.hub.FilteredDelivery;
import io.stepcast.gateway.protocol.EventFilter;
import java.util.Arrays;

/**
 * The filtered subscriptions of one connection ({@code subscribe} with {@code events}): one
 * {@link FilteredDelivery} per plan, in a copy-on-write array like the plan ids of {@link ConnectionPlans}. A
 * connection without any filtered subscription has none of these (its field stays null), so its
 * events take the unfiltered path untouched.
 *
 * <p>Threading: changes are serialized by this object's monitor (the event loop sets and clears;
 * hub callbacks on Redis threads clear); reads take no lock and see the latest array.
 */
final class PlanFilters {

    private static final FilteredDelivery[] NONE = new FilteredDelivery[0];

    private final FilteredDelivery.Sink sink;
    private volatile FilteredDelivery[] plans = NONE;

    PlanFilters(FilteredDelivery.Sink sink) {
        this.sink = sink;
    }

    FilteredDelivery.Sink sink() {
        return sink;
    }

    /** The plan's filtered delivery, or null when the plan is not subscribed with a filter. */
    FilteredDelivery get(String planId) {
        for (FilteredDelivery f : plans) {
            if (f.planId().equals(planId)) {
                return f;
            }
        }
        return null;
    }

    /** Sets (filter not null) or clears the plan's filter. */
    synchronized void set(String planId, EventFilter filter) {
        FilteredDelivery[] current = plans;
        int i = indexOf(current, planId);
        if (filter == null) {
            if (i >= 0) {
                FilteredDelivery[] next = current.length == 1 ? NONE : new FilteredDelivery[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                plans = next;
            }
            return;
        }
        FilteredDelivery delivery = new FilteredDelivery(planId, filter);
        FilteredDelivery[] next = i >= 0 ? current.clone() : Arrays.copyOf(current, current.length + 1);
        next[i >= 0 ? i : current.length] = delivery;
        plans = next;
    }

    /**
     * Heartbeat: sends the pending skip of every filtered plan (at most one per plan per heartbeat).
     *
     * @return false when a skip was refused (the connection is closing as a slow consumer)
     */
    boolean flushIdle() {
        for (FilteredDelivery f : plans) {
            if (!f.flushIdle(sink)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(FilteredDelivery[] plans, String planId) {
        for (int i = 0; i < plans.length; i++) {
            if (plans[i].planId().equals(planId)) {
                return i;
            }
        }
        return -1;
    }
}
