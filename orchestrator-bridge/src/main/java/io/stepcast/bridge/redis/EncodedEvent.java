package io.stepcast.bridge.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.EventFrames;
import io.stepcast.bridge.EventValidationException;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.event.PlanEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One event ready for the publish script: its data serialized once, its event id fixed (a random
 * one when the caller gave none, so retries stay idempotent).
 */
record EncodedEvent(byte[] name, byte[] eventId, boolean autoId, byte[] ts, byte[] data) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    /** Serializes {@code event}; throws {@link EventValidationException} on field {@code data}. */
    static EncodedEvent of(PlanEvent event, int maxDataBytes) {
        byte[] data;
        try {
            data = event instanceof CustomEvent custom && custom.dataJson() != null
                    ? custom.dataJson().getBytes(StandardCharsets.UTF_8) // as its author wrote it
                    : MAPPER.writeValueAsBytes(event.data());
        } catch (JsonProcessingException e) {
            throw new EventValidationException("data", "cannot be serialized as JSON: " + e.getOriginalMessage());
        }
        if (data.length > maxDataBytes) {
            throw new EventValidationException(
                    "data", "is " + data.length + " bytes serialized, more than the limit of " + maxDataBytes);
        }
        boolean auto = event.eventId() == null;
        String id = auto ? "auto-" + random(22) : event.eventId();
        return new EncodedEvent(ascii(event.event()), ascii(id), auto, ascii(EventFrames.formatTs(event.ts())), data);
    }

    /** {@code n} random characters of {@code [a-z0-9]} (epochs, event ids). */
    static String random(int n) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return new String(c);
    }

    long weight() {
        return (long) data.length + name.length + eventId.length + ts.length;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
