package io.stepcast.bridge.redis;

import io.lettuce.core.SslOptions;
import io.stepcast.bridge.RedisTls;
import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * Lettuce's {@link SslOptions} for a {@link RedisTls}: the CA file as the only trust anchor (else the
 * JVM default trust store) and the client certificate and key (mutual TLS). Peer verification stays
 * Lettuce's default for {@code rediss://}: full (chain and hostname/IP in the certificate's SAN).
 * Stateless.
 */
public final class LettuceTls {

    private LettuceTls() {}

    /**
     * The SSL options, built once here so that an unparsable PEM file fails now (start-up) with
     * {@link IllegalArgumentException} rather than at every connect attempt. Without files there is
     * nothing to check and no SSL context is built here: building one loads the JDK's SSL stack and
     * trust store, about a seventh of the gateway's start-up on the main thread for a plain
     * {@code redis://} URI that never uses it.
     */
    public static SslOptions sslOptions(RedisTls tls) {
        SslOptions.Builder builder = SslOptions.builder().jdkSslProvider();
        if (tls.isEmpty()) {
            return builder.build();
        }
        if (tls.caFile() != null) {
            builder.trustManager(tls.caFile().toFile());
        }
        if (tls.hasClientCertificate()) {
            builder.keyManager(tls.certFile().toFile(), tls.keyFile().toFile(), null);
        }
        SslOptions options = builder.build();
        try {
            options.createSslContextBuilder().build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "TLS files " + tls + " cannot be used (PEM CA certificate, PEM certificate chain and"
                            + " unencrypted PKCS#8 key expected): " + e.getMessage(),
                    e);
        }
        return options;
    }

    /**
     * Fails with {@link IllegalArgumentException} when TLS files are set but {@code redisUri} is not a
     * {@code rediss://} URI (they would be ignored and the connection would be in plain text).
     */
    public static void checkScheme(RedisTls tls, String redisUri) {
        if (!tls.isEmpty() && redisUri != null && !redisUri.startsWith("rediss://")) {
            throw new IllegalArgumentException("TLS files are configured but the Redis URI is not rediss:// (got "
                    + redisUri.replaceAll("//[^@/]*@", "//***@") + "): use rediss:// to connect with TLS");
        }
    }
}
