package io.stepcast.gateway.redis;

/**
 * A plan's snapshot as read atomically with its meta.
 *
 * @param epoch the plan's epoch, or {@code null} when the plan has no events (no meta)
 * @param seq   the last seq folded into the snapshot (0 when the plan has no events)
 * @param state the snapshot JSON, verbatim; {@code null} when there is none. Do not modify.
 */
public record PlanSnapshot(String epoch, long seq, byte[] state) {

    /** True when the plan has no events (no meta in Redis). */
    public boolean isEmpty() {
        return epoch == null;
    }
}
