package io.stepcast.bridge.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.stepcast.bridge.EventValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code data} member of an event exactly as its author wrote it, so that a custom event's data
 * reaches clients unchanged (PROTOCOL.md: data is spliced in, not re-encoded): numbers keep their
 * digits ({@code 1796383123.123456} stays that, never {@code 1.796383123123456E9}), strings keep
 * their escapes, and the size checked against the limit is the size that is published.
 *
 * <p>The text is located with a streaming parser over the same input the tree was read from; the
 * tree itself still validates the event. Line breaks between tokens (a pretty-printed HTTP body) are
 * the one thing removed, so that a frame stays one line; tokens are never touched. Stateless and
 * thread-safe.
 */
public final class RawData {

    private static final JsonFactory FACTORY = new JsonFactory();

    private RawData() {}

    /** The raw {@code data} object of a one-event JSON text (an NDJSON line), or null when it has none. */
    public static String of(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            long[] span = dataSpan(p, false);
            return span == null ? null : oneLine(json.substring((int) span[0], (int) span[1]));
        } catch (IOException e) {
            return null; // not JSON: the tree parser reports it
        }
    }

    /**
     * The raw {@code data} objects of a UTF-8 JSON body holding one event object (a list of one) or
     * an array of them (one entry per element, null where an element has none or is not an object).
     */
    public static List<String> ofEach(byte[] json) {
        List<String> all = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                all.add(text(json, dataSpan(p, true)));
            } else if (first == JsonToken.START_ARRAY) {
                for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == JsonToken.START_OBJECT) {
                        all.add(text(json, dataSpan(p, true)));
                    } else {
                        p.skipChildren();
                        all.add(null);
                    }
                }
            }
        } catch (IOException e) {
            all.clear(); // not JSON: the tree parser reports it
        }
        return all;
    }

    /**
     * Checks that {@code json} is exactly one JSON object (for callers that build events from raw
     * text) and returns it on one line.
     *
     * @throws EventValidationException on field {@code data} otherwise
     */
    static String requireObject(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new EventValidationException("data", "must be a JSON object");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new EventValidationException("data", "must be one JSON object (trailing content)");
            }
        } catch (IOException e) {
            throw new EventValidationException("data", "is not valid JSON: " + e.getMessage());
        }
        return oneLine(json);
    }

    /** With the parser on an object's START_OBJECT: the [start, end) offsets of its last {@code data} object. */
    private static long[] dataSpan(JsonParser p, boolean bytes) throws IOException {
        long[] span = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            boolean data = "data".equals(p.currentName());
            JsonToken value = p.nextToken();
            if (data) {
                span = null;
                if (value == JsonToken.START_OBJECT) {
                    long start = offset(p.currentTokenLocation(), bytes);
                    p.skipChildren();
                    span = new long[] {start, offset(p.currentTokenLocation(), bytes) + 1};
                    continue;
                }
            }
            p.skipChildren();
        }
        return span;
    }

    private static long offset(JsonLocation at, boolean bytes) {
        return bytes ? at.getByteOffset() : at.getCharOffset();
    }

    private static String text(byte[] json, long[] span) {
        if (span == null) {
            return null;
        }
        return oneLine(new String(json, (int) span[0], (int) (span[1] - span[0]), StandardCharsets.UTF_8));
    }

    /** Removes CR and LF (only possible between tokens: JSON strings cannot hold them raw). */
    static String oneLine(String json) {
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
            return json;
        }
        StringBuilder sb = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\n' && c != '\r') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
