package io.stepcast.bridge.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepcast.bridge.EventValidationException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Parses the JSON form of an event (one NDJSON line of {@code BridgeCli pipe}, one element of the
 * gateway's HTTP ingest) into a typed event:
 * <pre>{"plan_id":"p-42","event":"step_status","data":{"step_index":2,"status":"running"},"event_id":"e-17","ts":"2026-11-23T17:00:00.123Z"}</pre>
 * {@code event_id} and {@code ts} are optional; {@code data} is optional for events without required
 * fields. Unknown members (a typo such as {@code "evnt"}) are errors, so nothing is silently dropped.
 * Every failure is an {@link EventValidationException} naming the field. Stateless and thread-safe.
 */
public final class EventLines {

    /** One parsed line. */
    public record Line(String planId, PlanEvent event) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> TOP_LEVEL = Set.of("plan_id", "event", "data", "event_id", "ts");

    private EventLines() {}

    /** Parses a line (without its line terminator); a custom event keeps its data as written. */
    public static Line parse(String line) {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new EventValidationException("line", "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new EventValidationException("line", "must be a JSON object");
        }
        return parse((ObjectNode) root, RawData.of(line));
    }

    /** Parses an already-read line object (a custom event's data is serialized from the tree). */
    public static Line parse(ObjectNode root) {
        return parse(root, null);
    }

    /**
     * Parses an already-read line object whose {@code data} member was written as {@code rawData}
     * ({@link RawData}; null = serialize the tree): a custom event publishes that text unchanged.
     */
    public static Line parse(ObjectNode root, String rawData) {
        onlyKnown(root, TOP_LEVEL, "");
        String planId = EventValidator.planId(text(root, "plan_id", true));
        String event = text(root, "event", true);
        JsonNode dataNode = root.get("data");
        if (dataNode != null && !dataNode.isObject() && !dataNode.isNull()) {
            throw new EventValidationException("data", "must be a JSON object");
        }
        ObjectNode data = dataNode instanceof ObjectNode o ? o : JSON.createObjectNode();
        String eventId = text(root, "event_id", false);
        Instant ts = timestamp(text(root, "ts", false));
        PlanEvent parsed = event(event, data, eventId, ts);
        if (parsed instanceof CustomEvent custom && rawData != null && dataNode instanceof ObjectNode) {
            parsed = new CustomEvent(custom.name(), custom.data(), custom.eventId(), custom.ts(), rawData);
        }
        return new Line(planId, parsed);
    }

    /** Builds the typed event for a wire name and data object. */
    public static PlanEvent event(String event, ObjectNode data, String eventId, Instant ts) {
        switch (event) {
            case PlanEvent.PLAN_STARTED:
                onlyKnown(data, Set.of("name", "steps"), "data.");
                return new PlanStarted(text(data, "name", true), stringList(data, "steps"), eventId, ts);
            case PlanEvent.STEP_STATUS:
                onlyKnown(data, Set.of("step_index", "step_name", "status", "error"), "data.");
                return new StepStatus(
                        integer(data, "step_index"),
                        text(data, "step_name", false),
                        StepState.fromWire(text(data, "status", true)),
                        text(data, "error", false),
                        eventId,
                        ts);
            case PlanEvent.STEP_OUTPUT:
                onlyKnown(data, Set.of("step_index", "chunk"), "data.");
                return new StepOutput(integer(data, "step_index"), text(data, "chunk", true), eventId, ts);
            case PlanEvent.PLAN_COMPLETED:
                onlyKnown(data, Set.of("summary"), "data.");
                return new PlanCompleted(data.get("summary"), eventId, ts);
            case PlanEvent.PLAN_FAILED:
                onlyKnown(data, Set.of("error"), "data.");
                return new PlanFailed(text(data, "error", true), eventId, ts);
            case PlanEvent.PLAN_CANCELLED:
                onlyKnown(data, Set.of("reason"), "data.");
                return new PlanCancelled(text(data, "reason", false), eventId, ts);
            default:
                return new CustomEvent(event, data, eventId, ts);
        }
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String path) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new EventValidationException(
                        path + name,
                        "unknown member (expected one of "
                                + known.stream().sorted().toList() + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new EventValidationException(field, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new EventValidationException(field, "must be a string");
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new EventValidationException(field, "is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new EventValidationException(field, "must be an integer");
        }
        return value.asInt();
    }

    private static List<String> stringList(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new EventValidationException(field, "is required");
        }
        if (!value.isArray()) {
            throw new EventValidationException(field, "must be an array of strings");
        }
        List<String> list = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new EventValidationException(field, "must be an array of strings");
            }
            list.add(item.asText());
        }
        return list;
    }

    private static Instant timestamp(String ts) {
        if (ts == null) {
            return null;
        }
        try {
            return Instant.parse(ts);
        } catch (DateTimeParseException e) {
            throw new EventValidationException(
                    "ts", "must be ISO-8601 UTC such as 2026-11-23T17:00:00.123Z, was " + ts);
        }
    }
}
