package io.stepcast.gateway.protocol;

import java.util.regex.Pattern;

/**
 * The field rules of {@code watch_plans}: {@code prefix} (plan-id characters, at most 128, starting like a
 * plan id; absent = every plan), {@code limit} (1..{@value ClientFrame.WatchPlans#MAX_WATCH_LIMIT},
 * default {@value ClientFrame.WatchPlans#DEFAULT_WATCH_LIMIT}) and the index cursor ({@code since},
 * {@code epoch}: {@link Cursor}'s rules). Each failure is a {@code bad_request} naming the field; nothing
 * of the input is echoed.
 */
final class WatchPlansFields {

    /** The same rule as {@code GET /api/plans?prefix=}. */
    static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._:-]{0,127})?");

    private WatchPlansFields() {}

    static DecodeResult check(String prefix, Long limit, Long since, String epoch) {
        String p = prefix == null ? "" : prefix;
        if (!PREFIX.matcher(p).matches()) {
            return new DecodeResult.Rejected(
                    ErrorCode.BAD_REQUEST,
                    "prefix must be at most 128 plan-id characters [A-Za-z0-9._:-], starting with [A-Za-z0-9]",
                    null);
        }
        long n = limit == null ? ClientFrame.WatchPlans.DEFAULT_WATCH_LIMIT : limit;
        if (n < 1 || n > ClientFrame.WatchPlans.MAX_WATCH_LIMIT) {
            return new DecodeResult.Rejected(
                    ErrorCode.BAD_REQUEST,
                    "limit must be an integer from 1 to " + ClientFrame.WatchPlans.MAX_WATCH_LIMIT,
                    null);
        }
        Cursor.Parse cursor = Cursor.of(since, epoch);
        if (cursor instanceof Cursor.Invalid invalid) {
            return new DecodeResult.Rejected(ErrorCode.BAD_REQUEST, invalid.message(), null);
        }
        return new DecodeResult.Decoded(new ClientFrame.WatchPlans(p, (int) n, ((Cursor.Ok) cursor).cursor()));
    }
}
