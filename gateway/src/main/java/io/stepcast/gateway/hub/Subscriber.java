package io.stepcast.gateway.hub;

/**
 * A transport-neutral receiver of plan streams: a WebSocket session, an SSE response, a waiting
 * long-poll. The hub calls it in this order per plan: {@link #onSubscribed}, then either a
 * {@link #onSnapshot} (fresh start or reset) or replayed events, then live events — each event
 * exactly once and in seq order, with no gap. A later {@link #onSnapshot} with
 * {@code recovered=false} semantics (epoch changed under a live subscription) restarts the sequence.
 *
 * <p>Threading: callbacks run on Redis I/O threads while the hub holds the plan's lock. They must
 * not block and must not call back into the hub synchronously (hand off instead).
 *
 * <p>Buffering: the frames are shared by every recipient; an implementation that keeps one beyond
 * the call must {@link SharedFrame#retainedBuf() retain} it. Returning {@code false} from
 * {@link #onEvent} says "I cannot keep up": the hub then drops this subscriber from every plan and
 * calls {@link #onDropped}.
 */
public interface Subscriber {

    /** Stable id for logs and metrics, e.g. the session id. */
    String id();

    /** The subscription is established: where the stream starts. */
    void onSubscribed(SubscribeResult result);

    /** The plan's current snapshot JSON (the Redis {@code state} value, verbatim). */
    void onSnapshot(String planId, byte[] stateJson);

    /** One event frame, verbatim from Redis. Return false when this subscriber cannot keep up. */
    boolean onEvent(SharedFrame frame);

    /** The hub could not start or continue the subscription (e.g. Redis unavailable). */
    void onFailed(String planId, HubFailure failure);

    /** The hub dropped this subscriber (it returned false from {@link #onEvent}). */
    void onDropped(String planId);
}
