package io.stepcast.gateway.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The codec of the pub/sub connection: {@link RedisConnections#CODEC} (UTF-8 channel names, raw
 * {@code byte[]} messages), except that channel and pattern names are decoded through a small cache
 * of the names seen before. Every message carries its channel name; Lettuce's string decoding wraps,
 * slices and copies it several times per message (about a quarter of the gateway's allocation in the
 * wide benchmark), while a name already in the cache is returned without allocating.
 *
 * <p>The cache is direct-mapped with two probes per name, {@value #SLOTS} slots (64 KiB of references
 * with compressed pointers), caches ASCII names of up to {@value #MAX_CACHED_BYTES} bytes and decodes
 * everything else as the plain codec does. A name that loses its slot to another is decoded again the
 * next time: a miss costs what every message cost before.
 *
 * <p>Thread-safe: slots are written without locks; a racing reader sees either the old or the new
 * name (both complete, immutable strings), and a name is returned only when it equals the bytes.
 */
final class PubSubCodec implements RedisCodec<String, byte[]> {

    static final int SLOTS = 1 << 14;
    static final int MAX_CACHED_BYTES = 256;

    private final String[] names = new String[SLOTS];

    @Override
    public String decodeKey(ByteBuffer bytes) {
        int n = bytes.remaining();
        int p = bytes.position();
        if (n == 0 || n > MAX_CACHED_BYTES) {
            return StringCodec.UTF8.decodeKey(bytes);
        }
        int h = 0;
        for (int i = 0; i < n; i++) {
            byte b = bytes.get(p + i);
            if (b < 0) {
                return StringCodec.UTF8.decodeKey(bytes); // not ASCII: not cached
            }
            h = 31 * h + b;
        }
        h ^= h >>> 16;
        int first = h & (SLOTS - 1);
        int second = (first ^ ((h >>> 14) | 1)) & (SLOTS - 1);
        String cached = names[first];
        if (cached != null && matches(cached, bytes, p, n)) {
            return cached;
        }
        String other = names[second];
        if (other != null && matches(other, bytes, p, n)) {
            return other;
        }
        byte[] copy = new byte[n];
        for (int i = 0; i < n; i++) {
            copy[i] = bytes.get(p + i);
        }
        String name = new String(copy, StandardCharsets.US_ASCII);
        // an empty slot first; else the first slot's name makes way (it comes back through the second)
        if (cached == null) {
            names[first] = name;
        } else if (other == null) {
            names[second] = name;
        } else {
            names[second] = cached;
            names[first] = name;
        }
        return name;
    }

    private static boolean matches(String name, ByteBuffer bytes, int p, int n) {
        if (name.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (name.charAt(i) != bytes.get(p + i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] decodeValue(ByteBuffer bytes) {
        return ByteArrayCodec.INSTANCE.decodeValue(bytes);
    }

    @Override
    public ByteBuffer encodeKey(String key) {
        return StringCodec.UTF8.encodeKey(key);
    }

    @Override
    public ByteBuffer encodeValue(byte[] value) {
        return ByteArrayCodec.INSTANCE.encodeValue(value);
    }
}
