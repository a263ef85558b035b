package io.stepcast.gateway.redis;

import io.micronaut.core.annotation.Nullable;
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
 */
public record IndexQuery(
        Predicate<String> plans,
        Set<String> statuses,
        int limit,
        @Nullable IndexPage.Position after) {

    /** The largest page. */
    public static final int MAX_LIMIT = 500;

    public IndexQuery {
        Objects.requireNonNull(plans, "plans");
        statuses = Set.copyOf(statuses);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
    }
}
