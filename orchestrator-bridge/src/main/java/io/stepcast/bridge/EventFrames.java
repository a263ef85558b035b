package io.stepcast.bridge;

import io.stepcast.bridge.event.PlanEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The event frame format (PROTOCOL.md §2): one JSON object, produced once by the publish script and
 * forwarded verbatim everywhere:
 *
 * <pre>{"type":"event","plan_id":"p-42","seq":17,"epoch":"x9f3k2ab01cd","event":"step_status","ts":"2026-11-23T17:00:00.123Z","data":{…}}</pre>
 *
 * <p>Members always come in this order without whitespace, and {@code plan_id}, {@code epoch},
 * {@code event} and {@code ts} are restricted to characters that need no JSON escaping. So a
 * consumer can read the header with {@link #header(byte[])} in a few dozen byte comparisons, without a
 * JSON parser and without touching {@code data}. Stateless and thread-safe.
 */
public final class EventFrames {

    /** Every frame starts with these bytes, followed by the plan id. */
    public static final String PREFIX = "{\"type\":\"event\",\"plan_id\":\"";

    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\",\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EPOCH = ",\"epoch\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "\",\"event\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private EventFrames() {}

    /** The core event names ({@link PlanEvent#CORE_EVENTS}): a header carrying one reuses the constant. */
    private static final String[] CORE_EVENTS = {
        PlanEvent.STEP_STATUS,
        PlanEvent.STEP_OUTPUT,
        PlanEvent.PLAN_STARTED,
        PlanEvent.PLAN_COMPLETED,
        PlanEvent.PLAN_FAILED,
        PlanEvent.PLAN_CANCELLED
    };

    /** Reads the header of a whole frame. */
    public static FrameHeader header(byte[] frame) {
        return header(frame, 0, frame.length);
    }

    /**
     * Reads the header of a whole frame whose plan is expected to be {@code knownPlan}: when the
     * frame's plan id equals it, the header holds {@code knownPlan} itself, and a core event name is
     * the constant, so a consumer reading every frame of a channel allocates only the epoch's string.
     *
     * @throws MalformedFrameException when the bytes do not start like an event frame
     */
    public static FrameHeader header(byte[] frame, String knownPlan) {
        return header(frame, 0, frame.length, knownPlan);
    }

    /**
     * Reads the header of the frame in {@code frame[offset .. offset+length)}.
     *
     * @throws MalformedFrameException when the bytes do not start like an event frame
     */
    public static FrameHeader header(byte[] frame, int offset, int length) {
        return header(frame, offset, length, null);
    }

    private static FrameHeader header(byte[] frame, int offset, int length, String knownPlan) {
        int end = offset + length;
        if (offset < 0 || length < 0 || end > frame.length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length);
        }
        int p = expect(frame, offset, end, PREFIX_BYTES);
        int q = until(frame, p, end, (byte) '"');
        String planId = knownPlan != null && same(knownPlan, frame, p, q) ? knownPlan : ascii(frame, p, q);
        p = expect(frame, q, end, SEQ);
        long seq = 0;
        int digits = 0;
        while (p < end && frame[p] >= '0' && frame[p] <= '9') {
            if (++digits > 18) {
                throw new MalformedFrameException("seq has more than 18 digits");
            }
            seq = seq * 10 + (frame[p++] - '0');
        }
        if (digits == 0) {
            throw new MalformedFrameException("seq is not a number");
        }
        p = expect(frame, p, end, EPOCH);
        q = until(frame, p, end, (byte) '"');
        String epoch = ascii(frame, p, q);
        p = expect(frame, q, end, EVENT);
        q = until(frame, p, end, (byte) '"');
        return new FrameHeader(planId, seq, epoch, event(frame, p, q));
    }

    /**
     * Builds a frame exactly as the publish script does (for tests, tools and non-Redis transports).
     *
     * @param dataJson the serialized data object
     */
    public static String encode(String planId, long seq, String epoch, String event, String ts, String dataJson) {
        return PREFIX + planId + "\",\"seq\":" + seq + ",\"epoch\":\"" + epoch + "\",\"event\":\"" + event
                + "\",\"ts\":\"" + ts + "\",\"data\":" + dataJson + "}";
    }

    /** The wire timestamp: ISO-8601 UTC with exactly three fraction digits, e.g. {@code 2026-11-23T17:00:00.123Z}. */
    public static String formatTs(Instant ts) {
        return TS.format(ts.truncatedTo(ChronoUnit.MILLIS));
    }

    private static int expect(byte[] b, int p, int end, byte[] literal) {
        if (end - p < literal.length) {
            throw new MalformedFrameException("frame truncated at byte " + p);
        }
        for (int i = 0; i < literal.length; i++) {
            if (b[p + i] != literal[i]) {
                throw new MalformedFrameException("unexpected byte at " + (p + i) + ", expected '"
                        + new String(literal, StandardCharsets.US_ASCII) + "'");
            }
        }
        return p + literal.length;
    }

    private static int until(byte[] b, int p, int end, byte stop) {
        for (int i = p; i < end; i++) {
            if (b[i] == stop) {
                return i;
            }
            if (b[i] == '\\') {
                throw new MalformedFrameException("escape character in a header member at byte " + i);
            }
        }
        throw new MalformedFrameException("frame truncated in a header member");
    }

    private static String event(byte[] b, int from, int to) {
        for (String core : CORE_EVENTS) {
            if (same(core, b, from, to)) {
                return core;
            }
        }
        return ascii(b, from, to);
    }

    /** True when {@code b[from..to)} holds exactly the characters of {@code s} (ISO-8859-1). */
    private static boolean same(String s, byte[] b, int from, int to) {
        if (s.length() != to - from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i - from) != (b[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
