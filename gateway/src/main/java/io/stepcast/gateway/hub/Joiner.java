package io.stepcast.gateway.hub;

import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.LogPage;
import java.util.List;

/**
 * A subscriber of a plan that is not live yet: its snapshot or replay is being read. Mutable; every
 * field is guarded by the lock of the {@link PlanChannel} that holds it.
 */
final class Joiner {

    final Subscriber subscriber;
    /** Where the client says it is; null = "snapshot, then live". */
    final Cursor cursor;
    /** Token of this joiner's read in flight; 0 = none (waiting for the plan, or between steps). */
    long attempt;
    /** True once {@link Subscriber#onSubscribed} was called: {@link #epoch}/{@link #pos} are valid. */
    boolean started;
    /** The cursor could not be honoured: serve a snapshot. */
    boolean reset;
    /** The resume outcome was counted in the metrics. */
    boolean counted;
    /** Epoch of what this subscriber has; null = the plan had no events. */
    String epoch;
    /** Last seq handed to this subscriber (snapshot seq, cursor or replayed entry). */
    long pos;
    /** The rest of a log page waiting for the subscriber to be ready (replay pacing), or null. */
    List<LogPage.LogEntry> rest;
    /** The log head of the page {@link #rest} came from. */
    long restHead;

    Joiner(Subscriber subscriber, Cursor cursor) {
        this.subscriber = subscriber;
        this.cursor = cursor;
    }

    @Override
    public String toString() {
        return "Joiner[" + subscriber.id() + " cursor=" + cursor + " pos=" + epoch + "#" + pos + "]";
    }
}
