package io.stepcast.gateway.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.core.annotation.Nullable;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.LogPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One change of the plan index as the publish path wrote it ({@code plan_update} or
 * {@code plan_removed}), forwarded to watchers byte for byte.
 *
 * @param type   {@code plan_update} or {@code plan_removed} (the SSE event name)
 * @param epoch  the index's epoch
 * @param seq    the index's change seq
 * @param planId the plan the change is about (its summary's {@code plan_id} for an update)
 * @param frame  the change frame; never modified
 * @param summaryEnd byte offset of the closing brace of the update's summary, -1 for a removal
 */
public record IndexChange(String type, String epoch, long seq, String planId, byte[] frame, int summaryEnd) {

    private static final JsonFactory JSON = new JsonFactory();

    /** The change of a frame, or null when the frame is not a well-formed change. */
    @Nullable
    public static IndexChange parse(byte[] frame) {
        String type = null;
        String epoch = null;
        long seq = -1;
        String plan = null;
        int end = -1;
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "type" -> type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "epoch" -> epoch = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "seq" -> seq = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "plan_id" -> plan = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "summary" -> {
                        plan = value == JsonToken.START_OBJECT ? summaryPlan(p) : null;
                        end = plan == null ? -1 : (int) p.currentTokenLocation().getByteOffset();
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        boolean known = "plan_update".equals(type) || "plan_removed".equals(type);
        boolean update = "plan_update".equals(type);
        if (update && (end < 1 || end >= frame.length || frame[end] != '}')) {
            return null;
        }
        return known && RedisLayout.isValidEpoch(epoch) && seq > 0 && RedisLayout.isValidPlanId(plan)
                ? new IndexChange(type, epoch, seq, plan, frame, update ? end : -1)
                : null;
    }

    /** True for a {@code plan_update} (its summary can carry a watcher count). */
    public boolean isUpdate() {
        return summaryEnd > 0;
    }

    /**
     * The frame to send: an update's summary gets {@code "watchers":n} as its last member; a removal's
     * frame is returned as is. Allocates one copy per call.
     */
    public byte[] frameWithWatchers(long watchers) {
        if (!isUpdate()) {
            return frame;
        }
        byte[] tail = (",\"watchers\":" + watchers).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[frame.length + tail.length];
        System.arraycopy(frame, 0, out, 0, summaryEnd);
        System.arraycopy(tail, 0, out, summaryEnd, tail.length);
        System.arraycopy(frame, summaryEnd, out, summaryEnd + tail.length, frame.length - summaryEnd);
        return out;
    }

    private static String summaryPlan(JsonParser p) throws IOException {
        String plan = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("plan_id".equals(name) && value == JsonToken.VALUE_STRING) {
                plan = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return plan;
    }

    /**
     * The changes of a log page read after {@code resume} (at most {@code max} entries), when they are
     * every change since it; null when the log does not continue the cursor, was cut at {@code max}
     * before its head, or holds an entry that is not a change.
     */
    static @Nullable List<IndexChange> continuing(Cursor resume, LogPage page, int max) {
        List<LogPage.LogEntry> entries = page.entries();
        boolean complete =
                entries.size() < max || entries.get(entries.size() - 1).seq() >= page.head();
        if (!resume.continuedBy(page) || !complete) {
            return null;
        }
        List<IndexChange> missed = new ArrayList<>(entries.size());
        for (LogPage.LogEntry entry : entries) {
            IndexChange change = parse(entry.frame());
            if (change == null) {
                return null;
            }
            missed.add(change);
        }
        return missed;
    }
}
