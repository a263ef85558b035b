package io.stepcast.gateway.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.core.annotation.Nullable;
import io.stepcast.bridge.RedisLayout;
import java.io.IOException;

/**
 * One change of the plan index as the publish path wrote it ({@code plan_update} or
 * {@code plan_removed}), forwarded to watchers byte for byte.
 *
 * @param type   {@code plan_update} or {@code plan_removed} (the SSE event name)
 * @param epoch  the index's epoch
 * @param seq    the index's change seq
 * @param planId the plan the change is about (its summary's {@code plan_id} for an update)
 * @param frame  the change frame; never modified
 */
public record IndexChange(String type, String epoch, long seq, String planId, byte[] frame) {

    private static final JsonFactory JSON = new JsonFactory();

    /** The change of a frame, or null when the frame is not a well-formed change. */
    @Nullable
    public static IndexChange parse(byte[] frame) {
        String type = null;
        String epoch = null;
        long seq = -1;
        String plan = null;
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
                    case "summary" -> plan = value == JsonToken.START_OBJECT ? summaryPlan(p) : null;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        boolean known = "plan_update".equals(type) || "plan_removed".equals(type);
        return known && RedisLayout.isValidEpoch(epoch) && seq > 0 && RedisLayout.isValidPlanId(plan)
                ? new IndexChange(type, epoch, seq, plan, frame)
                : null;
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
}
