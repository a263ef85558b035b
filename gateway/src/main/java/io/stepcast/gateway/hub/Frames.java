package io.stepcast.gateway.hub;

import io.stepcast.bridge.EventFrames;
import io.stepcast.bridge.FrameHeader;
import io.stepcast.bridge.MalformedFrameException;
import io.stepcast.gateway.redis.LogPage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the hub needs from an event frame (PROTOCOL.md §2) without parsing {@code data}: the
 * header (plan, seq, epoch, event: the bridge's {@link EventFrames#header(byte[])}) and the
 * publisher's timestamp. Stateless, thread-safe.
 */
final class Frames {

    private static final Logger LOG = LoggerFactory.getLogger(Frames.class);
    private static final byte[] TS = "\"ts\":\"".getBytes(StandardCharsets.US_ASCII);
    /** The header and the timestamp are within the first bytes: plan ≤ 128, event ≤ 64 characters. */
    private static final int TS_SEARCH_LIMIT = 512;

    private Frames() {}

    /**
     * Wraps a frame from Redis for fan-out.
     *
     * @throws IllegalArgumentException when the bytes are not an event frame
     */
    static SharedFrame parse(byte[] frame) {
        return parse(frame, null);
    }

    /**
     * Wraps a frame of the channel of {@code planId} (the id string is reused when the frame's plan
     * equals it: no string per frame for it).
     *
     * @throws IllegalArgumentException when the bytes are not an event frame
     */
    static SharedFrame parse(byte[] frame, String planId) {
        try {
            FrameHeader h = EventFrames.header(frame, planId);
            return new SharedFrame(h.planId(), h.seq(), h.epoch(), h.event(), frame);
        } catch (MalformedFrameException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The frame of a message on the channel of {@code planId}, or null when it is not an event frame
     * of that plan (logged; malformed messages once per thousand, counted in {@code malformed}).
     */
    static SharedFrame ofChannel(String planId, byte[] bytes, AtomicInteger malformed) {
        SharedFrame frame;
        try {
            frame = parse(bytes, planId);
        } catch (IllegalArgumentException e) {
            if (malformed.getAndIncrement() % 1000 == 0) {
                LOG.warn("plan {}: ignoring a message that is not an event frame ({})", planId, e.getMessage());
            }
            return null;
        }
        if (!frame.planId().equals(planId)) {
            LOG.warn("plan {}: ignoring a frame of plan {} published on its channel", planId, frame.planId());
            return null;
        }
        return frame;
    }

    /** A log entry as a frame; null (logged) when the stored bytes are not a frame of this plan. */
    static SharedFrame fromLog(String planId, LogPage.LogEntry entry) {
        try {
            SharedFrame f = parse(entry.frame(), planId);
            if (f.seq() == entry.seq() && f.planId().equals(planId)) {
                return f;
            }
            LOG.error(
                    "plan {}: log entry {} holds a frame of {}#{}; skipped", planId, entry.seq(), f.planId(), f.seq());
        } catch (IllegalArgumentException e) {
            LOG.error("plan {}: log entry {} is not an event frame ({}); skipped", planId, entry.seq(), e.getMessage());
        }
        return null;
    }

    /**
     * The publisher's timestamp ({@code ts}) in epoch milliseconds, or -1 when it cannot be read.
     */
    static long tsMillis(byte[] frame) {
        int limit = Math.min(frame.length - TS.length, TS_SEARCH_LIMIT);
        outer:
        for (int i = 0; i < limit; i++) {
            for (int k = 0; k < TS.length; k++) {
                if (frame[i + k] != TS[k]) {
                    continue outer;
                }
            }
            int start = i + TS.length;
            int end = start;
            while (end < frame.length && frame[end] != '"' && end - start < 40) {
                end++;
            }
            long fast = isoUtcMillis(frame, start, end);
            if (fast != NOT_FAST) {
                return fast;
            }
            try {
                return Instant.parse(new String(frame, start, end - start, StandardCharsets.US_ASCII))
                        .toEpochMilli();
            } catch (DateTimeParseException e) {
                return -1;
            }
        }
        return -1;
    }

    private static final long NOT_FAST = Long.MIN_VALUE;

    /**
     * The publishers' own shape, {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, read without {@code Instant.parse}
     * (which builds a parse context, a map and a BigDecimal per call: a fifth of the hub thread's CPU
     * in the benchmark's wide scenario, where every event has its own plan). Any other shape, or a
     * field out of range, returns {@link #NOT_FAST} and takes the general path.
     */
    static long isoUtcMillis(byte[] b, int start, int end) {
        int n = end - start;
        if (n < 20 || b[end - 1] != 'Z') {
            return NOT_FAST;
        }
        int year = digits(b, start, 4);
        int month = digits(b, start + 5, 2);
        int day = digits(b, start + 8, 2);
        int hour = digits(b, start + 11, 2);
        int minute = digits(b, start + 14, 2);
        int second = digits(b, start + 17, 2);
        if (b[start + 4] != '-'
                || b[start + 7] != '-'
                || b[start + 10] != 'T'
                || b[start + 13] != ':'
                || b[start + 16] != ':'
                || (year | month | day | hour | minute | second) < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 28 && day > lengthOfMonth(year, month)
                || hour > 23
                || minute > 59
                || second > 59) {
            return NOT_FAST;
        }
        int millis = 0;
        int pos = start + 19;
        if (pos < end - 1) {
            int fraction = end - 1 - (pos + 1);
            if (b[pos] != '.' || fraction < 1 || fraction > 9) {
                return NOT_FAST;
            }
            for (int i = 0; i < fraction; i++) {
                int d = b[pos + 1 + i] - '0';
                if (d < 0 || d > 9) {
                    return NOT_FAST;
                }
                if (i < 3) {
                    millis = millis * 10 + d;
                }
            }
            for (int i = fraction; i < 3; i++) {
                millis *= 10;
            }
        }
        long days = daysFromCivil(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** The non-negative number of {@code count} ASCII digits at {@code at}, or -1. */
    private static int digits(byte[] b, int at, int count) {
        int v = 0;
        for (int i = 0; i < count; i++) {
            int d = b[at + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yoe = y - era * 400;
        int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468;
    }
}
