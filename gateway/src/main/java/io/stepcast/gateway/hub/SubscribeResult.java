package io.stepcast.gateway.hub;

/**
 * Where a subscription starts.
 *
 * @param planId    the plan
 * @param epoch     the plan's epoch, or {@code null} when the plan has no events yet
 * @param seq       the last seq already covered (by the snapshot or the replay); live events follow
 * @param recovered true when the client's cursor was honoured and the missed events were (or will
 *                  be) replayed; false when a snapshot follows instead
 */
public record SubscribeResult(String planId, String epoch, long seq, boolean recovered) {
}
