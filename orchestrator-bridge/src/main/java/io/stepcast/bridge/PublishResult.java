package io.stepcast.bridge;

/**
 * Where an event landed in its plan's log.
 *
 * @param planId    the plan
 * @param seq       the event's sequence number within {@code epoch} (1, 2, 3, …)
 * @param epoch     the plan's epoch (changes when the plan's keys were re-created)
 * @param duplicate true when Redis already held the event's caller-given {@code event_id} in this
 *                  epoch: the event was appended by an earlier publish (or an earlier attempt of this
 *                  one whose reply was lost) and {@code seq} is that original seq; nothing was
 *                  appended or published this time. Always false for events without a caller-given id.
 */
public record PublishResult(String planId, long seq, String epoch, boolean duplicate) {}
