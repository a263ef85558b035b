package io.stepcast.bridge.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Any event that is not a core event (e.g. {@code batch:start}, {@code command:progress}): logged and
 * forwarded to clients, not folded into the snapshot. Its serialized data is size-checked by the
 * publisher ({@link io.stepcast.bridge.BridgeConfig#maxDataBytes()}).
 *
 * @param name     event name matching {@link EventValidator#EVENT_NAME}, not a core name
 * @param data     the data object ({@code null} = {@code {}}); the caller's object, not copied
 * @param dataJson the same data as its author wrote it (a JSON object text), published byte for byte
 *                 instead of serializing {@code data}; null = serialize {@code data}. Set by the
 *                 parsers of JSON input ({@link EventLines}); line breaks between tokens are removed
 */
public record CustomEvent(String name, ObjectNode data, String eventId, Instant ts, String dataJson)
        implements PlanEvent {

    public CustomEvent {
        EventValidator.customEventName(name);
        data = data == null ? JsonNodeFactory.instance.objectNode() : data;
        eventId = EventValidator.eventId(eventId);
        ts = EventValidator.ts(ts);
        dataJson = dataJson == null ? null : RawData.requireObject(dataJson);
    }

    public CustomEvent(String name, ObjectNode data, String eventId, Instant ts) {
        this(name, data, eventId, ts, null);
    }

    public CustomEvent(String name, ObjectNode data) {
        this(name, data, null, null, null);
    }

    @Override
    public String event() {
        return name;
    }

    @Override
    public CustomEvent withEventId(String id) {
        return new CustomEvent(name, data, id, ts, dataJson);
    }

    public CustomEvent withTs(Instant t) {
        return new CustomEvent(name, data, eventId, t, dataJson);
    }
}
