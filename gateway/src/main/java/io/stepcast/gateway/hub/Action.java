package io.stepcast.gateway.hub;

/**
 * Work a {@link PlanChannel} asks the hub to do once the plan's lock is released: Redis operations
 * (whose completions come back to the channel), timers, and callbacks that must not run under the
 * lock. Tokens tie a completion to the request it answers; stale completions are ignored.
 */
sealed interface Action {

    /** SUBSCRIBE the plan channel; answer with {@link PlanChannel#onBusSubscribed()} or {@code onBusSubscribeFailed()}. */
    Action SUBSCRIBE = new Subscribe();
    /** UNSUBSCRIBE the plan channel; answer with {@link PlanChannel#onBusUnsubscribed()}. */
    Action UNSUBSCRIBE = new Unsubscribe();

    record Subscribe() implements Action {}

    record Unsubscribe() implements Action {}

    /**
     * Read the plan's snapshot: for the stream (anchor, resync) or, {@code forJoiners}, once for every
     * joining subscriber that needs one at that moment (a reconnect storm costs one read, not one per
     * client).
     */
    record ReadSnapshot(long token, boolean forJoiners) implements Action {}

    /** Read a log page after {@code after} for the plan ({@code joiner == null}) or for one joiner. */
    record ReadLog(long token, Joiner joiner, long after) implements Action {}

    /** Call {@link PlanChannel#onRetry()} after a delay (a plan-level read failed). */
    record Retry(long delayMillis) implements Action {}

    /** Call {@link PlanChannel#onResubscribe()} after a delay (a re-subscription failed). */
    record Resubscribe(long delayMillis) implements Action {}

    /** Call {@link PlanChannel#onDeadline(Joiner)} when the subscribe timeout has passed. */
    record Deadline(Joiner joiner) implements Action {}

    /**
     * Replay pacing: call {@link PlanChannel#onClientReady} once the joiner's subscriber is
     * {@link Subscriber#whenReady ready} for more.
     */
    record AwaitClient(long token, Joiner joiner) implements Action {}

    /** The channel removed the subscriber: tell it why. */
    record Fail(Subscriber subscriber, HubFailure failure) implements Action {}

    /** The subscriber could not keep up (or threw): remove it from every plan, then tell it. */
    record Drop(Subscriber subscriber) implements Action {}
}
