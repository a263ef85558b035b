package io.stepcast.deploy.loadtest.client;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the few members the load generator needs ({@code seq}, the publish time in {@code chunk},
 * {@code epoch}, {@code recovered}) from a text frame by position, without parsing the JSON: the
 * event frame's members have a fixed order and no whitespace (PROTOCOL.md §2), and the same holds
 * for the peers' frames, which carry the same event object.
 */
public final class FrameScan {

    public static final byte[] SEQ = bytes("\"seq\":");
    public static final byte[] CHUNK = bytes("\"chunk\":\"");
    public static final byte[] EPOCH = bytes("\"epoch\":");
    public static final byte[] RECOVERED_TRUE = bytes("\"recovered\":true");

    private FrameScan() {}

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Index of the needle in the readable bytes at or after {@code from}, or -1. */
    public static int indexOf(ByteBuf b, byte[] needle, int from) {
        for (int i = Math.max(from, b.readerIndex()), end = b.writerIndex() - needle.length; i <= end; i++) {
            if (matchesAt(b, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    public static boolean startsWith(ByteBuf b, byte[] prefix) {
        return b.readableBytes() >= prefix.length && matchesAt(b, b.readerIndex(), prefix);
    }

    /** Whether the needle stands at index {@code i} (the caller checked that it fits). */
    private static boolean matchesAt(ByteBuf b, int i, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (b.getByte(i + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }

    public static boolean contains(ByteBuf b, byte[] needle) {
        return indexOf(b, needle, b.readerIndex()) >= 0;
    }

    /** The non-negative integer right after the needle, or -1 if absent or not a number. */
    public static long longAfter(ByteBuf b, byte[] needle) {
        int i = indexOf(b, needle, b.readerIndex());
        if (i < 0) {
            return -1;
        }
        return digits(b, i + needle.length);
    }

    /** Digits starting at index {@code i}, or -1 if none. */
    public static long digits(ByteBuf b, int i) {
        long v = 0;
        int n = 0;
        for (; i < b.writerIndex(); i++, n++) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return n == 0 ? -1 : v;
    }

    /** The publish time (ns since the benchmark's time base) at the start of the chunk, or -1. */
    public static long publishTime(ByteBuf b, int from) {
        int i = indexOf(b, CHUNK, from);
        return i < 0 ? -1 : digits(b, i + CHUNK.length);
    }

    // ---- the hot path: one copy of the frame into a per-thread array, then plain array scans ------

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[4096]);

    /** Seq and publish time (-1 when absent) of an event frame, into {@code out[0]} and {@code out[1]}. */
    public static void seqAndPublishTime(ByteBuf b, long[] out) {
        int len = b.readableBytes();
        byte[] a = SCRATCH.get();
        if (a.length < len) {
            a = new byte[Integer.highestOneBit(len) << 1];
            SCRATCH.set(a);
        }
        b.getBytes(b.readerIndex(), a, 0, len);
        int s = indexOf(a, 0, len, SEQ);
        out[0] = s < 0 ? -1 : digits(a, s + SEQ.length, len);
        // the chunk is the frame's last member: search it from the end
        int c = lastIndexOf(a, len, CHUNK);
        out[1] = c < 0 ? -1 : digits(a, c + CHUNK.length, len);
    }

    static int indexOf(byte[] a, int from, int len, byte[] needle) {
        for (int i = from, end = len - needle.length; i <= end; i++) {
            if (matchesAt(a, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    static int lastIndexOf(byte[] a, int len, byte[] needle) {
        for (int i = len - needle.length; i >= 0; i--) {
            if (matchesAt(a, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the needle stands at index {@code i} of the array (the caller checked that it fits). */
    private static boolean matchesAt(byte[] a, int i, byte[] needle) {
        if (a[i] != needle[0]) {
            return false;
        }
        for (int j = 1; j < needle.length; j++) {
            if (a[i + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    static long digits(byte[] a, int i, int len) {
        long v = 0;
        int n = 0;
        for (; i < len; i++, n++) {
            byte c = a[i];
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return n == 0 ? -1 : v;
    }

    /** The JSON string value after the needle ({@code "epoch":"x"} → x), null for JSON null/absent. */
    public static String stringAfter(ByteBuf b, byte[] needle) {
        int i = indexOf(b, needle, b.readerIndex());
        if (i < 0) {
            return null;
        }
        i += needle.length;
        if (i >= b.writerIndex() || b.getByte(i) != '"') {
            return null;
        }
        int end = i + 1;
        while (end < b.writerIndex() && b.getByte(end) != '"') {
            end++;
        }
        return b.toString(i + 1, end - i - 1, StandardCharsets.UTF_8);
    }
}
