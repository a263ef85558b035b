package io.stepcast.bridge;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PEM files for TLS to Redis ({@code rediss://} URIs). TLS itself is switched on by the URI's
 * scheme; these files only say whom to trust and who the client is. Immutable, validated on
 * construction: each given file must be a readable regular file, and a client certificate comes with
 * its key.
 *
 * <ul>
 *   <li>{@link #NONE}: the JVM's default trust store (public CAs: managed Redis offerings), no client
 *       certificate;</li>
 *   <li>{@code caFile}: trust only the CA certificate(s) in this PEM file (a private CA, self-hosted
 *       Redis). The server certificate must still name the host or IP of the URI (and of every cluster
 *       node) in its subject alternative names: peer verification is always full;</li>
 *   <li>{@code certFile} + {@code keyFile}: a client certificate chain and its unencrypted PKCS#8 key
 *       (mutual TLS, redis-server's default {@code tls-auth-clients yes}).</li>
 * </ul>
 *
 * @param caFile   PEM CA certificate(s) to trust instead of the JVM default, or null
 * @param certFile PEM client certificate chain, or null
 * @param keyFile  PEM PKCS#8 private key of {@code certFile}, or null
 */
public record RedisTls(Path caFile, Path certFile, Path keyFile) {

    /** No files: JVM default trust store, no client certificate. */
    public static final RedisTls NONE = new RedisTls(null, null, null);

    /** Validates the files; throws {@link IllegalArgumentException} naming the problem. */
    public RedisTls {
        readable("CA file", caFile);
        readable("client certificate file", certFile);
        readable("client key file", keyFile);
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException(
                    "a TLS client certificate needs both the certificate file and the key file, got only the "
                            + (certFile == null ? "key file" : "certificate file"));
        }
    }

    /** A CA file only (private CA, no client certificate). */
    public static RedisTls trusting(Path caFile) {
        return new RedisTls(caFile, null, null);
    }

    /** From optional path strings (null or blank = absent), e.g. configuration values. */
    public static RedisTls of(String caFile, String certFile, String keyFile) {
        return new RedisTls(path(caFile), path(certFile), path(keyFile));
    }

    /** True when no file is set. */
    public boolean isEmpty() {
        return caFile == null && certFile == null;
    }

    /** True when a client certificate is set. */
    public boolean hasClientCertificate() {
        return certFile != null;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }

    private static void readable(String what, Path file) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            throw new IllegalArgumentException("TLS " + what + " " + file.toAbsolutePath() + " is not a readable file");
        }
    }
}
