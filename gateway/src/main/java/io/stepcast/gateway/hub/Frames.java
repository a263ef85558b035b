package io.stepcast.gateway.hub;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads what the hub needs from an event frame (PROTOCOL.md §2) without parsing {@code data}: the
 * header (plan, seq, epoch, event) and the publisher's timestamp. Stateless, thread-safe.
 */
final class Frames {

    private static final byte[] TS = "\"ts\":\"".getBytes(StandardCharsets.US_ASCII);
    /** The header and the timestamp are within the first bytes: plan ≤ 128, event ≤ 64 characters. */
    private static final int TS_SEARCH_LIMIT = 512;

    private Frames() {
    }

    /**
     * Wraps a frame from Redis for fan-out.
     *
     * @throws IllegalArgumentException when the bytes are not an event frame
     */
    static SharedFrame parse(byte[] frame) {
        Header h = header(frame);
        return new SharedFrame(h.planId, h.seq, h.epoch, h.event, frame);
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
                return Instant.parse(new String(frame, start, end - start, StandardCharsets.US_ASCII)).toEpochMilli();
            } catch (DateTimeParseException e) {
                return -1;
            }
        }
        return -1;
    }

    private record Header(String planId, long seq, String epoch, String event) {
    }

    // {"type":"event","plan_id":"<p>","seq":<n>,"epoch":"<e>","event":"<name>",...
    private static final String PREFIX = "{\"type\":\"event\",\"plan_id\":\"";

    private static Header header(byte[] f) {
        int[] p = {0};
        expect(f, p, PREFIX);
        String plan = until(f, p);
        expect(f, p, "\",\"seq\":");
        long seq = 0;
        int digits = 0;
        while (p[0] < f.length && f[p[0]] >= '0' && f[p[0]] <= '9' && digits < 19) {
            seq = seq * 10 + (f[p[0]++] - '0');
            digits++;
        }
        if (digits == 0 || digits > 18) {
            throw new IllegalArgumentException("frame seq is not a number");
        }
        expect(f, p, ",\"epoch\":\"");
        String epoch = until(f, p);
        expect(f, p, "\",\"event\":\"");
        String event = until(f, p);
        return new Header(plan, seq, epoch, event);
    }

    private static void expect(byte[] f, int[] p, String literal) {
        if (f.length - p[0] < literal.length()) {
            throw new IllegalArgumentException("frame truncated");
        }
        for (int i = 0; i < literal.length(); i++) {
            if (f[p[0] + i] != literal.charAt(i)) {
                throw new IllegalArgumentException("not an event frame (at byte " + (p[0] + i) + ")");
            }
        }
        p[0] += literal.length();
    }

    private static String until(byte[] f, int[] p) {
        int start = p[0];
        while (p[0] < f.length && f[p[0]] != '"') {
            if (f[p[0]] == '\\') {
                throw new IllegalArgumentException("escape in a frame header member");
            }
            p[0]++;
        }
        if (p[0] >= f.length) {
            throw new IllegalArgumentException("frame truncated");
        }
        return new String(f, start, p[0] - start, StandardCharsets.ISO_8859_1);
    }
}
