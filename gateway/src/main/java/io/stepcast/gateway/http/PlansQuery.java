package io.stepcast.gateway.http;

import io.micronaut.core.annotation.Nullable;
import io.stepcast.gateway.redis.IndexCursors;
import io.stepcast.gateway.redis.IndexPage;
import io.stepcast.gateway.redis.IndexQuery;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checked query parameters of {@code GET /api/plans}: {@code prefix} (plan-id characters, at most
 * 128, starting like a plan id), {@code status} (one of the six statuses or a comma list of them),
 * {@code limit} (1..{@value IndexQuery#MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and {@code cursor}
 * ({@link IndexCursors}). Anything else is a typed 400 naming the parameter; nothing of the input is echoed.
 *
 * @param prefix   plan id prefix, empty = every plan
 * @param statuses statuses to keep, empty = all
 * @param limit    page size
 * @param after    where the page starts, null = newest
 */
record PlansQuery(
        String prefix,
        Set<String> statuses,
        int limit,
        @Nullable IndexPage.Position after) {

    static final int DEFAULT_LIMIT = 50;
    static final Set<String> STATUSES = Set.of("pending", "running", "succeeded", "failed", "skipped", "cancelled");
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._:-]{0,127})?");

    /** The query of the raw parameters (null = absent), or the 400 response that answers instead. */
    static Parsed<PlansQuery> parse(
            @Nullable String prefix, @Nullable String status, @Nullable String limit, @Nullable String cursor) {
        String p = prefix == null ? "" : prefix;
        if (!PREFIX.matcher(p).matches()) {
            return Parsed.invalid(ApiErrors.badRequest(
                    "prefix",
                    "prefix must be at most 128 plan-id characters [A-Za-z0-9._:-], starting with [A-Za-z0-9]"));
        }
        Set<String> statuses = new LinkedHashSet<>();
        if (status != null && !status.isEmpty()) {
            for (String s : status.split(",", -1)) {
                if (!STATUSES.contains(s)) {
                    return Parsed.invalid(ApiErrors.badRequest(
                            "status",
                            "status must be pending, running, succeeded, failed, skipped or cancelled, or a comma list"
                                    + " of them"));
                }
                statuses.add(s);
            }
        }
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isEmpty()) {
            n = limit.length() > 9 || !limit.chars().allMatch(Character::isDigit) ? -1 : Integer.parseInt(limit);
            if (n < 1 || n > IndexQuery.MAX_LIMIT) {
                return Parsed.invalid(
                        ApiErrors.badRequest("limit", "limit must be an integer from 1 to " + IndexQuery.MAX_LIMIT));
            }
        }
        IndexPage.Position after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = IndexCursors.decode(cursor);
            if (after == null) {
                return Parsed.invalid(ApiErrors.badRequest(
                        "cursor", "cursor is not one this API issued: pass next_cursor back unchanged"));
            }
        }
        return Parsed.ok(new PlansQuery(p, Set.copyOf(statuses), n, after));
    }
}
