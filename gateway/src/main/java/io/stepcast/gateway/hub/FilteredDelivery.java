package io.stepcast.gateway.hub;

import io.stepcast.gateway.protocol.EventFilter;

/**
 * One filtered subscription of one plan (an {@link EventFilter} on a WebSocket {@code subscribe}, an
 * SSE stream, a long-poll): decides per event frame whether it is delivered and keeps the client's
 * cursor exact with {@code skip} frames. The rule the client relies on: per plan, every delivered
 * event's seq is exactly one more than the seq of the previous {@code subscribed}, event or
 * {@code skip.through}; so a client can tell a filtered seq (covered by a skip) from a lost one.
 *
 * <p>A skip is emitted (1) right before a delivered event when events were filtered out since the
 * last frame of the plan, and (2) by {@link #flushIdle} (the transport's heartbeat) when filtered
 * events are pending, so an idle client's resume cursor advances past them. Frames are shared: the
 * frame handed to the {@link Sink} is the one every other subscriber receives (encoded once).
 *
 * <p>Unfiltered subscribers never reach this class (the transports check for a filter first), so a
 * filter costs nothing to subscribers without one.
 *
 * <p>Threading: {@link #offer} runs under the hub's plan lock (Redis I/O threads), {@link #flushIdle}
 * on the transport's timer; both are synchronized here and call the sink while holding this lock,
 * so a skip and the events around it reach the sink in seq order. The sink must not block and must
 * not call back into this object.
 */
public final class FilteredDelivery {

    /** Where the frames of a filtered subscription go (the transport's own writer). */
    public interface Sink {
        /** Writes {@code skip {plan_id, epoch, through}}; false when the subscriber cannot keep up. */
        boolean skip(String planId, String epoch, long through);

        /** Writes the shared event frame; false when the subscriber cannot keep up. */
        boolean event(SharedFrame frame);
    }

    private final String planId;
    private final EventFilter filter;

    // guarded by this
    /** Last seq filtered out and not yet covered by a skip frame; 0 = none pending. */
    private long pendingThrough;

    private String pendingEpoch;

    public FilteredDelivery(String planId, EventFilter filter) {
        this.planId = planId;
        this.filter = filter;
    }

    public String planId() {
        return planId;
    }

    public EventFilter filter() {
        return filter;
    }

    /**
     * The subscription (re)starts at a position: nothing is pending any more; {@code announce} writes
     * the {@code subscribed} frame, under this lock so no earlier skip can follow it.
     */
    public synchronized void restart(Runnable announce) {
        clear();
        announce.run();
    }

    private void clear() {
        pendingThrough = 0;
        pendingEpoch = null;
    }

    /**
     * One event frame of the plan (live or replayed, in seq order): delivered when the filter wants
     * it (after a skip covering the events filtered out before it), else remembered as skipped.
     *
     * @return false when the sink refused a frame (slow consumer)
     */
    public synchronized boolean offer(SharedFrame frame, Sink sink) {
        if (!filter.matches(frame.event())) {
            pendingThrough = frame.seq();
            pendingEpoch = frame.epoch();
            return true;
        }
        if (pendingThrough != 0) {
            long through = pendingThrough;
            String epoch = pendingEpoch;
            clear();
            if (epoch.equals(frame.epoch()) && !sink.skip(planId, epoch, through)) {
                return false;
            }
        }
        return sink.event(frame);
    }

    /**
     * The transport's heartbeat: sends the skip covering the events filtered out since the last
     * frame, if any (so at most one skip per heartbeat while only filtered events flow).
     *
     * @return false when the sink refused the skip
     */
    public synchronized boolean flushIdle(Sink sink) {
        if (pendingThrough == 0) {
            return true;
        }
        long through = pendingThrough;
        String epoch = pendingEpoch;
        clear();
        return sink.skip(planId, epoch, through);
    }

    /** The last filtered seq not yet covered by a skip (0: none); for the long-poll page cursor. */
    public synchronized long pendingThrough() {
        return pendingThrough;
    }

    @Override
    public String toString() {
        return "FilteredDelivery[" + planId + " " + filter + "]";
    }
}
