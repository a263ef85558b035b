package io.stepcast.gateway.hub;

import io.stepcast.gateway.redis.PlanSnapshot;

/**
 * A transport-neutral receiver of plan streams: a WebSocket session, an SSE response, a waiting
 * long-poll. The hub calls it in this order per plan: {@link #onSubscribed}, then either a
 * {@link #onSnapshot} (fresh start or reset) or replayed events, then live events — each event
 * exactly once and in seq order, with no gap. A later {@link #onSubscribed} with
 * {@code recovered=false} (plus a snapshot, unless the plan has no events) restarts the sequence:
 * the plan's epoch changed under a live subscription, or a hole could not be filled from the log.
 *
 * <p>Threading: callbacks run on Redis I/O threads (or the hub's timer thread) while the hub holds
 * the plan's lock; callbacks of one plan never overlap. They must not block and must not call back
 * into the hub synchronously (hand off instead). {@link #onFailed} may also run on the thread that
 * called {@link PlanHub#subscribe}, before it returns (Redis known to be down), and so may
 * {@link #onSubscribed} (a cursor at the position of the plan's live stream: nothing to read).
 *
 * <p>Identity: the hub keys subscribers by {@code equals}/{@code hashCode}; keep the identity
 * semantics of {@link Object}.
 *
 * <p>Buffering: the frames are shared by every recipient; an implementation that keeps one beyond
 * the call must {@link SharedFrame#retainedBuf() retain} it. Returning {@code false} from
 * {@link #onEvent} says "I cannot keep up": the hub then drops this subscriber from every plan and
 * calls {@link #onDropped} once per plan it had (other plans may still deliver a few events before
 * that; keep returning false).
 */
public interface Subscriber {

    /** Stable id for logs and metrics, e.g. the session id. */
    String id();

    /** The subscription is established: where the stream starts. */
    void onSubscribed(SubscribeResult result);

    /**
     * The plan's current snapshot with its position: {@code snapshot.state()} is the Redis
     * {@code state} value, verbatim (never null here), at {@code snapshot.epoch()}/{@code seq()}, the
     * position of the {@link #onSubscribed} just before it.
     */
    void onSnapshot(String planId, PlanSnapshot snapshot);

    /** One event frame, verbatim from Redis. Return false when this subscriber cannot keep up. */
    boolean onEvent(SharedFrame frame);

    /** The hub could not start the subscription (e.g. Redis unavailable); it has ended. */
    void onFailed(String planId, HubFailure failure);

    /**
     * The hub dropped this subscriber from this plan because it returned false from {@link #onEvent}
     * (or threw from a callback). Called once for each plan the subscriber had.
     */
    void onDropped(String planId);

    /**
     * Replay pacing: true when the subscriber has taken in what it was given so far, so a replay may
     * offer more now. Live events are offered regardless. Any thread; a hint read under the plan's
     * lock, so it must be cheap. The default never asks for a pause.
     */
    default boolean ready() {
        return true;
    }

    /**
     * Replay pacing: runs {@code resume} once {@link #ready()} would be true again, on any thread,
     * never under the hub's lock; not at all when the subscriber is closing (it is then removed from
     * the hub anyway). The default runs it at once.
     */
    default void whenReady(Runnable resume) {
        resume.run();
    }
}
