package io.stepcast.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The poll variant without output tails ({@code ?tails=false}): the snapshot (PROTOCOL.md §3.4) with
 * the {@code output_tail} member of every step cut out, every other byte kept as stored (nothing is
 * re-encoded: summaries and strings stay byte for byte). Stateless, thread-safe.
 */
final class OutputTails {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String STEPS = "steps";
    private static final String TAIL = "output_tail";

    private OutputTails() {}

    /** The snapshot without the steps' {@code output_tail} members. */
    static byte[] strip(byte[] state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(state.length);
        int copied = 0;
        try (JsonParser p = JSON.createParser(state)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return state;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean steps = STEPS.equals(p.currentName());
                if (p.nextToken() != JsonToken.START_ARRAY || !steps) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        boolean tail = TAIL.equals(p.currentName());
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        p.nextToken();
                        p.skipChildren();
                        p.finishToken();
                        if (tail) {
                            int end = (int) p.currentLocation().getByteOffset();
                            copied = cut(state, out, copied, start, end);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a stored snapshot is not JSON", e);
        }
        out.write(state, copied, state.length - copied);
        return out.toByteArray();
    }

    /** Copies {@code state[copied, start)} minus the member's separating comma; returns the new mark. */
    private static int cut(byte[] state, ByteArrayOutputStream out, int copied, int start, int end) {
        int before = start - 1;
        while (before >= copied && Character.isWhitespace(state[before])) {
            before--;
        }
        if (before >= copied && state[before] == ',') {
            out.write(state, copied, before - copied); // drop ",<member>"
            return end;
        }
        out.write(state, copied, start - copied); // first member: drop "<member>,"
        int after = end;
        while (after < state.length && Character.isWhitespace(state[after])) {
            after++;
        }
        return after < state.length && state[after] == ',' ? after + 1 : end;
    }
}
