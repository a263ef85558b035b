package io.stepcast.gateway.hub;

import io.stepcast.bridge.EventFrames;
import io.stepcast.bridge.FrameHeader;
import io.stepcast.bridge.MalformedFrameException;
import io.stepcast.gateway.redis.LogPage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
        try {
            FrameHeader h = EventFrames.header(frame);
            return new SharedFrame(h.planId(), h.seq(), h.epoch(), h.event(), frame);
        } catch (MalformedFrameException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A log entry as a frame; null (logged) when the stored bytes are not a frame of this plan. */
    static SharedFrame fromLog(String planId, LogPage.LogEntry entry) {
        try {
            SharedFrame f = parse(entry.frame());
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
            try {
                return Instant.parse(new String(frame, start, end - start, StandardCharsets.US_ASCII))
                        .toEpochMilli();
            } catch (DateTimeParseException e) {
                return -1;
            }
        }
        return -1;
    }
}
