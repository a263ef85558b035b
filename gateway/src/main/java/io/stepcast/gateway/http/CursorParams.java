package io.stepcast.gateway.http;

import io.stepcast.gateway.hub.Cursor;

import java.util.regex.Pattern;

/**
 * Reads a resume cursor from HTTP request parameters: {@code since} + {@code epoch} (long-poll,
 * SSE) or an SSE {@code Last-Event-ID}.
 *
 * <p>SSE event ids are {@code <epoch>:<seq>} (or a bare {@code <seq>} for a plan without an epoch
 * yet), so a browser's automatic reconnect carries the whole cursor; a bare {@code <seq>} takes its
 * epoch from the {@code epoch} query parameter.
 */
final class CursorParams {

    /** Epochs are minted by the publisher as 12 characters {@code [a-z0-9]}; accept a little more. */
    static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private CursorParams() {
    }

    /**
     * The cursor of {@code since} and {@code epoch}; {@code null} (snapshot, then live) when neither
     * is given.
     */
    static Parsed<Cursor> fromQuery(String since, String epoch) {
        boolean hasSince = since != null && !since.isEmpty();
        boolean hasEpoch = epoch != null && !epoch.isEmpty();
        if (!hasSince) {
            if (hasEpoch) {
                return Parsed.invalid(ApiErrors.badRequest("since", "epoch was given without since"));
            }
            return Parsed.ok(null);
        }
        Long seq = parseSeq(since);
        if (seq == null) {
            return Parsed.invalid(ApiErrors.badRequest("since", "since must be an integer >= 0"));
        }
        if (hasEpoch && !EPOCH.matcher(epoch).matches()) {
            return Parsed.invalid(ApiErrors.badRequest("epoch", "epoch must match " + EPOCH.pattern()));
        }
        return Parsed.ok(new Cursor(hasEpoch ? epoch : null, seq));
    }

    /**
     * The cursor of an SSE {@code Last-Event-ID} ({@code <epoch>:<seq>} or {@code <seq>}), with
     * {@code epoch} from the query for the bare form.
     */
    static Parsed<Cursor> fromLastEventId(String lastEventId, String queryEpoch) {
        String id = lastEventId.trim();
        int colon = id.lastIndexOf(':');
        if (colon < 0) {
            return fromQuery(id, queryEpoch);
        }
        String epoch = id.substring(0, colon);
        Long seq = parseSeq(id.substring(colon + 1));
        if (seq == null || !EPOCH.matcher(epoch).matches()) {
            return Parsed.invalid(ApiErrors.badRequest("Last-Event-ID",
                    "Last-Event-ID must be <epoch>:<seq> as sent in the stream's id fields"));
        }
        return Parsed.ok(new Cursor(epoch, seq));
    }

    /** The SSE id of a position: {@code <epoch>:<seq>}, or {@code <seq>} without an epoch. */
    static String eventId(String epoch, long seq) {
        return epoch == null ? Long.toString(seq) : epoch + ":" + seq;
    }

    private static Long parseSeq(String s) {
        if (s == null || s.isEmpty() || s.length() > 19) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
