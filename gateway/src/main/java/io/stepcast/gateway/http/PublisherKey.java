package io.stepcast.gateway.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The configured publisher key, compared in constant time: both sides are hashed (SHA-256) first,
 * so neither the key's content nor its length leaks through timing. Immutable, thread-safe.
 */
final class PublisherKey {

    private final byte[] digest;

    PublisherKey(String key) {
        this.digest = key == null || key.isBlank() ? null : sha256(key);
    }

    /** True when a key is configured. */
    boolean configured() {
        return digest != null;
    }

    /** True when {@code authorization} is {@code Bearer <the key>}. */
    boolean accepts(String authorization) {
        if (digest == null || authorization == null) {
            return false;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(value.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
