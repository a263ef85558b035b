package io.stepcast.gateway.redis;

import io.micronaut.core.annotation.Nullable;
import io.stepcast.bridge.RedisLayout;
import java.util.List;

/**
 * A page of the plan index.
 *
 * @param epoch   the index's epoch (null: no index yet)
 * @param seq     the index's last change seq when the page was read (0: none)
 * @param entries summaries, newest first
 * @param next    where the next page starts, null when this is the last one
 */
public record IndexPage(
        @Nullable String epoch,
        long seq,
        List<Entry> entries,
        @Nullable Position next) {

    public IndexPage {
        entries = List.copyOf(entries);
    }

    /**
     * One plan's entry.
     *
     * @param planId  the plan
     * @param summary the summary JSON exactly as the publish script wrote it
     */
    public record Entry(String planId, byte[] summary) {}

    /**
     * A position in the index order: the score (last_update in epoch ms) and plan id of an entry.
     */
    public record Position(long score, String planId) {
        public Position {
            if (score < 0 || !RedisLayout.isValidPlanId(planId)) {
                throw new IllegalArgumentException("position needs a score >= 0 and a valid plan id");
            }
        }

        /** True when an entry at ({@code s}, {@code plan}) comes after this position in index order. */
        boolean isBefore(long s, String plan) {
            return s < score || (s == score && plan.compareTo(planId) < 0);
        }
    }
}
