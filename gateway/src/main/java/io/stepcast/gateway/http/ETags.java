package io.stepcast.gateway.http;

/**
 * Entity tags of plan snapshots: {@code "<epoch>:<seq>"}, strong ({@code "<epoch>:<seq>:no-tails"} for
 * the variant without output tails). A snapshot's bytes are fully
 * determined by its plan, epoch and seq (the publish script rewrites it with every event), so equal
 * tags mean equal bodies.
 */
final class ETags {

    private ETags() {}

    /** The quoted, strong tag of a snapshot position. */
    static String of(String epoch, long seq) {
        return "\"" + epoch + ":" + seq + "\"";
    }

    /** The tag of the snapshot variant without output tails ({@code ?tails=false}). */
    static String withoutTails(String epoch, long seq) {
        return "\"" + epoch + ":" + seq + ":no-tails\"";
    }

    /**
     * True when an {@code If-None-Match} header matches {@code etag}: {@code *}, or a comma-separated
     * list containing it (weak comparison, as RFC 9110 prescribes for If-None-Match).
     */
    static boolean matches(String ifNoneMatch, String etag) {
        int i = 0;
        int n = ifNoneMatch.length();
        while (i < n) {
            while (i < n
                    && (ifNoneMatch.charAt(i) == ' '
                            || ifNoneMatch.charAt(i) == ','
                            || ifNoneMatch.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (ifNoneMatch.charAt(i) == '*') {
                return true;
            }
            if (ifNoneMatch.startsWith("W/", i)) {
                i += 2;
            }
            int end;
            if (i < n && ifNoneMatch.charAt(i) == '"') {
                end = ifNoneMatch.indexOf('"', i + 1);
                end = end < 0 ? n : end + 1;
            } else {
                end = ifNoneMatch.indexOf(',', i);
                end = end < 0 ? n : end;
            }
            String candidate = ifNoneMatch.substring(i, end).trim();
            if (candidate.equals(etag) || ("\"" + candidate + "\"").equals(etag)) {
                return true;
            }
            i = end;
        }
        return false;
    }
}
