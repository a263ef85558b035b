package io.stepcast.gateway.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.stepcast.bridge.EventValidationException;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.EventLines;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.RawData;
import io.stepcast.gateway.protocol.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an ingest body: one event object {@code {"event":..,"data":{..},"event_id"?:..,"ts"?:..}}
 * or an array of them, validated by the bridge library ({@link EventLines}), with the request's
 * {@code Idempotency-Key} as the {@code event_id} of events that carry none ({@code <key>} for a
 * single event, {@code <key>:<index>} for each element of an array).
 */
final class IngestRequest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private IngestRequest() {}

    /** The decoded events, or the typed 400 answer. */
    static Parsed<List<PlanEvent>> decode(String planId, byte[] body, String idempotencyKey, int maxEvents) {
        if (idempotencyKey != null && !validKey(idempotencyKey)) {
            return Parsed.invalid(ApiErrors.badRequest(
                    "Idempotency-Key", "Idempotency-Key must be 1-100 printable ASCII characters without spaces"));
        }
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return Parsed.invalid(
                    ApiErrors.of(HttpStatus.BAD_REQUEST, ErrorCode.MALFORMED_JSON, null, null, malformed(e)));
        } catch (IOException e) {
            return Parsed.invalid(ApiErrors.of(
                    HttpStatus.BAD_REQUEST, ErrorCode.MALFORMED_JSON, null, null, "the body could not be read"));
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            return Parsed.invalid(ApiErrors.of(
                    HttpStatus.BAD_REQUEST,
                    ErrorCode.INVALID_EVENT,
                    "event",
                    null,
                    "the body must be one event object or an array of event objects"));
        }
        boolean batch = root.isArray();
        if (batch && root.isEmpty()) {
            return Parsed.invalid(ApiErrors.of(
                    HttpStatus.BAD_REQUEST, ErrorCode.INVALID_EVENT, "events", null, "the array holds no event"));
        }
        if (batch && root.size() > maxEvents) {
            return Parsed.invalid(ApiErrors.of(
                    HttpStatus.BAD_REQUEST,
                    ErrorCode.INVALID_EVENT,
                    "events",
                    null,
                    "at most " + maxEvents + " events per request, got " + root.size()));
        }
        List<PlanEvent> events = new ArrayList<>(batch ? root.size() : 1);
        List<String> raw = RawData.ofEach(body); // custom events' data as written, published unchanged
        for (int i = 0; i < (batch ? root.size() : 1); i++) {
            JsonNode node = batch ? root.get(i) : root;
            Integer index = batch ? i : null;
            if (!node.isObject()) {
                return Parsed.invalid(invalid("event", index, "must be a JSON object"));
            }
            ObjectNode event = ((ObjectNode) node).deepCopy();
            JsonNode plan = event.get("plan_id");
            if (plan != null && !(plan.isTextual() && plan.asText().equals(planId))) {
                return Parsed.invalid(
                        invalid("plan_id", index, "must be absent or equal the plan of the URL (" + planId + ")"));
            }
            event.put("plan_id", planId);
            if (idempotencyKey != null
                    && (event.get("event_id") == null || event.get("event_id").isNull())) {
                event.put("event_id", batch ? idempotencyKey + ":" + i : idempotencyKey);
            }
            try {
                events.add(EventLines.parse(event, i < raw.size() ? raw.get(i) : null)
                        .event());
            } catch (EventValidationException e) {
                return Parsed.invalid(invalid(e.field(), index, e.getMessage()));
            }
        }
        return Parsed.ok(events);
    }

    static MutableHttpResponse<byte[]> invalid(String field, Integer index, String message) {
        return ApiErrors.of(HttpStatus.BAD_REQUEST, ErrorCode.INVALID_EVENT, field, index, message);
    }

    private static boolean validKey(String key) {
        return key.length() <= 100 && RedisLayout.EVENT_ID.matcher(key).matches();
    }

    /**
     * Why the body is not acceptable JSON, with its position, naming no parser internals (Jackson's
     * messages name its classes and limits) and echoing nothing of the body.
     */
    static String malformed(JsonProcessingException e) {
        String where = e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
        if (e instanceof StreamConstraintsException) {
            return "the body exceeds a JSON length or nesting limit" + where;
        }
        String original = e.getOriginalMessage();
        if (original != null && original.startsWith("Duplicate field")) {
            return "the body repeats a member name in one object" + where;
        }
        return "the body is not valid JSON" + where;
    }
}
