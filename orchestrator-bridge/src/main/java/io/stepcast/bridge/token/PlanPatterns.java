package io.stepcast.bridge.token;

import io.stepcast.bridge.RedisLayout;
import java.util.regex.Pattern;

/**
 * The plan entries of a client token's {@code plans} claim: an exact plan id ({@code p-42}) or a
 * prefix pattern ending in one {@code *} ({@code team-a:*}; a lone {@code *} matches every plan).
 *
 * <p>This is the one definition of the matching rule; gateways that verify tokens apply the same.
 */
public final class PlanPatterns {

    /** A prefix pattern: what a plan id may start with, then a single trailing {@code *}. */
    private static final Pattern PREFIX_PATTERN = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._:-]{0,126})?\\*");

    private PlanPatterns() {}

    /** True when {@code entry} is an exact plan id or a valid prefix pattern. */
    public static boolean isValid(String entry) {
        return entry != null
                && (RedisLayout.isValidPlanId(entry)
                        || PREFIX_PATTERN.matcher(entry).matches());
    }

    /** True when the token entry {@code entry} grants access to {@code planId}. */
    public static boolean matches(String entry, String planId) {
        if (entry == null || planId == null) {
            return false;
        }
        if (entry.endsWith("*")) {
            return planId.startsWith(entry.substring(0, entry.length() - 1));
        }
        return entry.equals(planId);
    }

    /** True when any entry of {@code entries} grants access to {@code planId}. */
    public static boolean anyMatches(Iterable<String> entries, String planId) {
        for (String entry : entries) {
            if (matches(entry, planId)) {
                return true;
            }
        }
        return false;
    }
}
