package io.stepcast.gateway.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A client-chosen request id ({@code ping.id}, {@code command.id}) or the subject of an error
 * ({@code error.ref}), written back verbatim.
 *
 * <p>Clients may use a JSON string or a JSON integer; {@link #json()} holds the value exactly as it
 * is written back (a quoted, escaped string or the integer's digits), so a client comparing with
 * {@code ===} gets its own value back.
 *
 * @param json the JSON token text; never null or empty
 */
public record RequestId(String json) {

    /** Longest accepted id, in characters (strings) or digits (integers). */
    public static final int MAX_LENGTH = 64;

    public RequestId {
        if (json == null || json.isEmpty()) {
            throw new IllegalArgumentException("json must not be empty");
        }
    }

    /** A string id, JSON-escaped. */
    public static RequestId ofString(String value) {
        return new RequestId('"' + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + '"');
    }

    /** An integer id. */
    public static RequestId ofInteger(long value) {
        return new RequestId(Long.toString(value));
    }
}
