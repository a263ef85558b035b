package io.stepcast.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The position ({@code epoch}, {@code seq}) a snapshot JSON stands at, read from its top-level
 * members with a streaming parser that skips everything else (no tree is built).
 *
 * @param epoch the snapshot's epoch, or {@code null} when it has none
 * @param seq   the last seq folded into the snapshot (0 when absent)
 */
public record SnapshotPosition(String epoch, long seq) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Reads the position of a snapshot; {@code (null, 0)} when the bytes are not a JSON object. */
    public static SnapshotPosition of(byte[] state) {
        if (state == null) {
            return new SnapshotPosition(null, 0);
        }
        String epoch = null;
        long seq = 0;
        boolean haveEpoch = false;
        boolean haveSeq = false;
        try (JsonParser p = JSON.createParser(state)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new SnapshotPosition(null, 0);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME && !(haveEpoch && haveSeq)) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("epoch".equals(name)) {
                    epoch = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    haveEpoch = true;
                } else if ("seq".equals(name)) {
                    seq = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    haveSeq = true;
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return new SnapshotPosition(epoch, seq);
        }
        return new SnapshotPosition(epoch, seq);
    }
}
