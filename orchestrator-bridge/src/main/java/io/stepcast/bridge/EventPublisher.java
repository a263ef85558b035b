package io.stepcast.bridge;

import io.stepcast.bridge.event.PlanEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes plan events into Stepcast's Redis layout: each event is appended to the plan's log,
 * folded into its snapshot and published on its channel, atomically (PROTOCOL.md §3).
 *
 * <p><b>Delivery.</b> A returned future completes with the event's {@link PublishResult} once Redis
 * has applied it, or fails with a {@link BridgeException}: {@link EventValidationException} (invalid
 * input, nothing sent), {@link PublishRejectedException} (buffer full, or publisher closed), or
 * another {@code BridgeException} for a non-retryable Redis error. Transient failures (Redis down,
 * timeouts, failover) are retried internally with backoff; every event carries an {@code event_id}
 * (a random one when the caller gave none), so a retry after an ambiguous failure never appends it
 * twice. Within one plan, events are applied in the order of the {@code publish} calls that
 * returned (calls racing from several threads are ordered as they reach the publisher); different
 * plans are independent.
 *
 * <p><b>Buffering.</b> Events not yet acknowledged by Redis are held in memory, bounded by
 * {@link BridgeConfig#retryBufferCapacity()} and {@link BridgeConfig#retryBufferMaxBytes()}. They are
 * lost if the process dies before Redis acknowledges them; the caller learns about success only
 * through the future. When the buffer is full, publish fails fast rather than blocking or dropping.
 *
 * <p><b>Threading.</b> Implementations are thread-safe and never block the caller: validation and
 * serialization happen on the calling thread, I/O asynchronously. Futures complete on a publisher
 * thread; do not block in dependent stages for long.
 */
public interface EventPublisher extends AutoCloseable {

    /** Publishes one event of {@code planId}. */
    CompletableFuture<PublishResult> publish(String planId, PlanEvent event);

    /**
     * Publishes several events of one plan in one Redis round trip, atomically (all or none) and in
     * list order. The future completes with one result per event, in order.
     */
    CompletableFuture<List<PublishResult>> publishBatch(String planId, List<? extends PlanEvent> events);

    /**
     * Stops accepting events, waits up to {@link BridgeConfig#closeTimeout()} for buffered events to be
     * delivered, fails the rest with {@link PublishRejectedException}, and releases connections.
     */
    @Override
    void close();
}
