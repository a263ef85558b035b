package io.stepcast.gateway.publisher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The publisher keys of {@code stepcast.auth.publisher-keys}: opaque secrets that orchestrators
 * present to the HTTP ingest endpoint, separate from client tokens (a leaked dashboard token can never
 * publish, a leaked publisher key can never read).
 *
 * <p>Keys are held only as SHA-256 digests. {@link #match} hashes the presented key and compares it
 * with every configured digest using {@link MessageDigest#isEqual} without stopping early, so neither
 * the position nor the length of a near-miss leaks through timing. Several keys may be configured at
 * once to rotate them without downtime. A key is identified in logs and metrics only by its
 * fingerprint (the first 8 hex digits of its digest), never by its value.
 *
 * <p>Immutable and thread-safe.
 */
public final class PublisherKeys {

    private final List<byte[]> digests;

    public PublisherKeys(List<String> keys) {
        List<byte[]> list = new ArrayList<>(keys.size());
        for (String key : keys) {
            list.add(sha256(key));
        }
        this.digests = List.copyOf(list);
    }

    /** True when no key is configured: ingest is then refused to everyone (with auth enabled). */
    public boolean isEmpty() {
        return digests.isEmpty();
    }

    /** The fingerprint of the configured key equal to {@code presented}, or empty. */
    public Optional<String> match(String presented) {
        if (presented == null || digests.isEmpty()) {
            return Optional.empty();
        }
        byte[] candidate = sha256(presented);
        byte[] found = null;
        for (byte[] digest : digests) {
            if (MessageDigest.isEqual(digest, candidate) & found == null) {
                found = digest;
            }
        }
        return found == null ? Optional.empty() : Optional.of(fingerprint(found));
    }

    /** First 8 hex digits of a key's SHA-256: safe to log. */
    public static String fingerprintOf(String key) {
        return fingerprint(sha256(key));
    }

    private static String fingerprint(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, 4);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable in this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "PublisherKeys[" + digests.size() + " keys]";
    }
}
