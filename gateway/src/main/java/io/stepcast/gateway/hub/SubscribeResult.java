package io.stepcast.gateway.hub;

/**
 * Where a subscription starts.
 *
 * <p>In both cases the next event the subscriber receives is {@code seq + 1} of {@code epoch}.
 *
 * @param planId    the plan
 * @param epoch     the plan's epoch, or {@code null} when the plan has no events yet (then the first
 *                  event, seq 1, carries the epoch)
 * @param seq       recovered: the client's cursor seq (the missed events seq+1… follow as events);
 *                  not recovered: the seq of the snapshot that follows (0 and no snapshot for a plan
 *                  without events)
 * @param recovered true when the client's cursor was honoured: the missed events follow, no snapshot;
 *                  false when a snapshot follows instead (fresh subscribe, or the cursor could not be
 *                  honoured: other epoch, log trimmed or expired, cursor ahead of the plan)
 */
public record SubscribeResult(String planId, String epoch, long seq, boolean recovered) {}
