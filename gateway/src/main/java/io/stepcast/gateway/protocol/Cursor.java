package io.stepcast.gateway.protocol;

import io.micronaut.core.annotation.Nullable;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.redis.LogPage;

/**
 * A client's resume position: the last seq it has seen of the given epoch. The one home of resume on
 * every transport: it parses the cursor as each transport carries it (WebSocket {@code since} and
 * {@code epoch}; HTTP {@code since} and {@code epoch}; SSE {@code Last-Event-ID}), writes the SSE
 * event id, and owns the rule by which a log page continues a cursor ({@link #continuedBy}).
 *
 * <p>A cursor that cannot be one of ours is refused when parsed, with the field at fault: a
 * non-numeric or negative {@code since}, one beyond {@link #MAX_SEQ} (no plan ever reaches it), an
 * epoch that does not match {@link RedisLayout#EPOCH}, an epoch without {@code since}. A well-formed
 * cursor that the log cannot continue (other epoch, trimmed, ahead of the plan) is not an error: the
 * subscriber gets a fresh snapshot instead.
 *
 * @param epoch the epoch the client last saw (may be null: then only {@code seq == 0} can recover,
 *              meaning "I have seen nothing of a plan that had no events")
 * @param seq   the last seq the client has (0 = none), at most {@link #MAX_SEQ}
 */
public record Cursor(@Nullable String epoch, long seq) {

    /**
     * The largest seq a cursor may carry: 2^53 - 1, the largest integer that the publish script (Lua
     * numbers) and JavaScript clients represent exactly. No plan's seq reaches it.
     */
    public static final long MAX_SEQ = (1L << 53) - 1;

    /** What a valid {@code since} is, as error messages say it. */
    public static final String SINCE_RULE = "since must be an integer between 0 and " + MAX_SEQ;

    public Cursor {
        if (seq < 0 || seq > MAX_SEQ) {
            throw new IllegalArgumentException(SINCE_RULE);
        }
    }

    /** The outcome of parsing a cursor: {@link Ok} (with or without a cursor) or {@link Invalid}. */
    public sealed interface Parse permits Ok, Invalid {}

    /** A valid request; {@code cursor} null = none given (snapshot, then live). */
    public record Ok(@Nullable Cursor cursor) implements Parse {}

    /** Not a cursor: {@code field} is the parameter at fault, {@code message} says why (no input echoed). */
    public record Invalid(String field, String message) implements Parse {}

    /** The cursor of already typed values (the WebSocket {@code subscribe} frame); both null = none. */
    public static Parse of(@Nullable Long since, @Nullable String epoch) {
        if (since == null) {
            return epoch == null ? new Ok(null) : new Invalid("since", "epoch requires since");
        }
        if (since < 0 || since > MAX_SEQ) {
            return new Invalid("since", SINCE_RULE);
        }
        if (epoch != null && !RedisLayout.isValidEpoch(epoch)) {
            return new Invalid("epoch", "epoch must match " + RedisLayout.EPOCH.pattern());
        }
        return new Ok(new Cursor(epoch, since));
    }

    /** The cursor of the HTTP query parameters {@code since} and {@code epoch}; empty = absent. */
    public static Parse fromQuery(@Nullable String since, @Nullable String epoch) {
        String e = epoch == null || epoch.isEmpty() ? null : epoch;
        if (since == null || since.isEmpty()) {
            return of(null, e);
        }
        Long seq = parseSeq(since);
        return seq == null ? new Invalid("since", SINCE_RULE) : of(seq, e);
    }

    /**
     * The cursor of an SSE {@code Last-Event-ID}: {@code <epoch>:<seq>} as {@link #eventId} writes it,
     * or a bare {@code <seq>} that takes its epoch from the {@code epoch} query parameter.
     */
    public static Parse fromLastEventId(String lastEventId, @Nullable String queryEpoch) {
        String id = lastEventId.trim();
        int colon = id.lastIndexOf(':');
        if (colon < 0) {
            return fromQuery(id, queryEpoch);
        }
        Long seq = parseSeq(id.substring(colon + 1));
        Parse parsed = seq == null ? null : of(seq, id.substring(0, colon));
        return parsed instanceof Ok ok
                ? ok
                : new Invalid("Last-Event-ID", "Last-Event-ID must be <epoch>:<seq> as sent in the stream's id fields");
    }

    /** The SSE event id of a position: {@code <epoch>:<seq>}, or {@code <seq>} without an epoch. */
    public static String eventId(@Nullable String epoch, long seq) {
        return epoch == null ? Long.toString(seq) : epoch + ":" + seq;
    }

    /**
     * True when the log page continues this cursor, so the events after it can be replayed: same epoch
     * (or the empty cursor {@code (null, 0)}), not ahead of the plan, and the log still holds the event
     * right after it (or there is none yet). Otherwise the subscriber needs a fresh snapshot.
     */
    public boolean continuedBy(LogPage page) {
        boolean sameEpoch = epoch == null ? seq == 0 : epoch.equals(page.epoch());
        if (!sameEpoch || seq > page.head()) {
            return false;
        }
        return seq == page.head()
                || (!page.entries().isEmpty() && page.entries().get(0).seq() == seq + 1);
    }

    private static Long parseSeq(String s) {
        if (s.isEmpty() || s.length() > 19) {
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
