package io.stepcast.gateway.redis;

import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a page of the plan index holds.
 *
 * @param plans    plan ids the caller may see (token grant and prefix); checked before anything else
 * @param statuses {@code overall_status} values to keep; empty = every status
 * @param limit    at most this many summaries (1..{@link #MAX_LIMIT})
 * @param after    continue after this position (exclusive), null = from the newest
 * @param ranges   literal plan-id prefixes covering every id {@code plans} admits (see {@link #ranges}),
 *                 or null when unknown or unbounded: then the whole time-ordered index is walked
 */
public record IndexQuery(
        Predicate<String> plans,
        Set<String> statuses,
        int limit,
        @Nullable IndexPage.Position after,
        @Nullable List<String> ranges) {

    /** The largest page. */
    public static final int MAX_LIMIT = 500;

    public IndexQuery {
        Objects.requireNonNull(plans, "plans");
        statuses = Set.copyOf(statuses);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
        ranges = ranges == null ? null : List.copyOf(ranges);
    }

    /** A query without known ranges: the index is walked in time order. */
    public IndexQuery(Predicate<String> plans, Set<String> statuses, int limit, @Nullable IndexPage.Position after) {
        this(plans, statuses, limit, after, null);
    }

    /**
     * The literal prefixes of the plan ids that both start with {@code prefix} and match one of the
     * token entries {@code grants} (exact ids, or prefix patterns ending in {@code *}): the request
     * prefix intersected with each entry's literal part, none covered by another. Null when one of them
     * is empty (every plan: nothing narrows the index); empty when no plan can match.
     */
    public static @Nullable List<String> ranges(String prefix, List<String> grants) {
        List<String> found = new ArrayList<>();
        for (String entry : grants) {
            boolean pattern = entry.endsWith("*");
            String literal = pattern ? entry.substring(0, entry.length() - 1) : entry;
            if (literal.startsWith(prefix)) {
                found.add(literal);
            } else if (pattern && prefix.startsWith(literal)) {
                found.add(prefix);
            }
        }
        found.sort(null);
        List<String> kept = new ArrayList<>();
        for (String r : found) {
            if (r.isEmpty()) {
                return null;
            }
            if (kept.isEmpty() || !r.startsWith(kept.get(kept.size() - 1))) {
                kept.add(r);
            }
        }
        return kept;
    }
}
