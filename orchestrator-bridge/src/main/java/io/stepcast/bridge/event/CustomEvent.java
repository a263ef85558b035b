package io.stepcast.bridge.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Any event that is not a core event (e.g. {@code batch:start}, {@code command:progress}): logged and
 * forwarded to clients, not folded into the snapshot. Its serialized data is size-checked by the
 * publisher ({@link io.stepcast.bridge.BridgeConfig#maxDataBytes()}).
 *
 * @param name event name matching {@link EventValidator#EVENT_NAME}, not a core name
 * @param data the data object ({@code null} = {@code {}}); the caller's object, not copied
 */
public record CustomEvent(String name, ObjectNode data, String eventId, Instant ts) implements PlanEvent {

    public CustomEvent {
        EventValidator.customEventName(name);
        data = data == null ? JsonNodeFactory.instance.objectNode() : data;
        eventId = EventValidator.eventId(eventId);
        ts = EventValidator.ts(ts);
    }

    public CustomEvent(String name, ObjectNode data) {
        this(name, data, null, null);
    }

    @Override
    public String event() {
        return name;
    }

    @Override
    public CustomEvent withEventId(String id) {
        return new CustomEvent(name, data, id, ts);
    }

    public CustomEvent withTs(Instant t) {
        return new CustomEvent(name, data, eventId, t);
    }
}
