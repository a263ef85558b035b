package io.stepcast.gateway.redis;

import java.util.concurrent.CompletableFuture;

/**
 * The instance's single pub/sub connection, seen as plan channels and session channels.
 *
 * <p>Delivery: Redis pub/sub is at-most-once. Messages published while the connection is down (or
 * before a SUBSCRIBE is confirmed) are gone; {@link PlanListener#onBusDown()} tells the listener so it
 * can repair from the plan's log. Messages of one channel arrive in publish order.
 *
 * <p>Threading: thread-safe. Listeners are called on the connection's single I/O thread, in order;
 * they must not block.
 */
public interface PlanBus {

    /** Receives plan frames and connection-loss notices. */
    interface PlanListener {
        /** One message of a plan channel: the event frame bytes, verbatim. */
        void onPlanMessage(String planId, byte[] frame);

        /**
         * The pub/sub connection was lost: messages may be missing from now until a SUBSCRIBE issued
         * after this call is confirmed (Lettuce re-subscribes by itself on reconnect).
         */
        void onBusDown();

        /**
         * One plan's subscription was lost while the connection stayed up (cluster: the slot moved, its
         * master failed over, the server SUNSUBSCRIBEd it, or the log head ran ahead of what was
         * delivered): messages may be missing. Handled like {@link #onBusDown()} for this plan only:
         * SUBSCRIBE again (the bus routes it to the slot's current owner), then repair from the log.
         */
        void onPlanLost(String planId);

        /** The plan's delivered position while its stream is live (nothing held or repaired), else null. */
        LivePosition livePosition(String planId);
    }

    /**
     * Where a plan's live stream stands: every frame of {@code epoch} up to {@code seq} was delivered.
     *
     * @param epoch the stream's epoch, null while the plan had no events
     * @param seq   the last delivered seq (0 with no events)
     */
    record LivePosition(String epoch, long seq) {}

    /**
     * Receives the plan index's change frames ({@code <prefix>:{_plans}}): the index behaves like one
     * more plan, with its own epoch, seq and log, so a listener repairs losses the same way.
     */
    interface IndexListener {
        /** One change frame ({@code plan_update} or {@code plan_removed}), verbatim. */
        void onIndexMessage(byte[] frame);

        /**
         * The index subscription may have lost messages (connection lost, or on a cluster the slot's
         * owner changed): {@link #subscribeIndex()} again, then repair from the index log.
         */
        void onIndexLost();
    }

    /** Receives direct messages to local sessions. */
    @FunctionalInterface
    interface SessionListener {
        /** One message of a session channel {@code <prefix>:session:<sessionId>}, verbatim. */
        void onSessionMessage(String sessionId, byte[] message);
    }

    /** Sets the (single) plan listener. */
    void setPlanListener(PlanListener listener);

    /**
     * PSUBSCRIBEs {@code <prefix>:session:<instanceId>.*} once (re-subscribed on every reconnect) and
     * routes its messages to the listener.
     */
    void listenSessions(String instanceId, SessionListener listener);

    /**
     * SUBSCRIBEs a plan channel. Completes when Redis confirmed it: from then on every message
     * published to the plan reaches the listener (until the next {@link PlanListener#onBusDown()}).
     * Issued while disconnected, it is sent after the reconnect. Completes exceptionally with
     * {@link RedisUnavailableException} when the connection never came up or is closed.
     */
    CompletableFuture<Void> subscribe(String planId);

    /** Sets the (single) index listener. */
    void setIndexListener(IndexListener listener);

    /**
     * SUBSCRIBEs (SSUBSCRIBEs on a Redis 7 cluster, on the slot's current owner) the index channel, with
     * the guarantees of {@link #subscribe}. Calling it again after {@link IndexListener#onIndexLost()}
     * re-subscribes where the channel lives now.
     */
    CompletableFuture<Void> subscribeIndex();

    /** UNSUBSCRIBEs a plan channel; completes when Redis confirmed it. */
    CompletableFuture<Void> unsubscribe(String planId);

    /** True while the pub/sub connection is established. */
    boolean isUp();
}
