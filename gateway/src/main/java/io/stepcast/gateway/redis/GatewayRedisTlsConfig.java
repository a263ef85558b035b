package io.stepcast.gateway.redis;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.stepcast.bridge.RedisTls;

/**
 * PEM files for TLS to Redis ({@code stepcast.redis.tls.*}); TLS itself is switched on by a
 * {@code rediss://} {@code stepcast.redis.uri}. Without any file the JVM's default trust store is
 * used (public CAs, e.g. managed offerings) and no client certificate is sent. Peer verification is
 * always full: every server certificate (each cluster node's) must name the host or IP the gateway
 * connects to in its subject alternative names.
 *
 * <p>Validated at start-up: each given file must be readable and parse (a gateway with an unusable
 * file does not start), a certificate needs its key, and TLS files with a plain {@code redis://} URI
 * are refused.
 *
 * @param caFile   PEM CA certificate(s) to trust instead of the JVM default (private CA)
 *                 (env {@code STEPCAST_REDIS_TLS_CA_FILE})
 * @param certFile PEM client certificate chain for mutual TLS (redis-server {@code tls-auth-clients yes})
 *                 (env {@code STEPCAST_REDIS_TLS_CERT_FILE})
 * @param keyFile  unencrypted PKCS#8 PEM key of {@code certFile} (env {@code STEPCAST_REDIS_TLS_KEY_FILE})
 */
@ConfigurationProperties("stepcast.redis.tls")
public record GatewayRedisTlsConfig(
        @Nullable String caFile,
        @Nullable String certFile,
        @Nullable String keyFile) {

    /** Validates the files. */
    public GatewayRedisTlsConfig {
        files(caFile, certFile, keyFile);
    }

    /** The files as the bridge's {@link RedisTls}. */
    public RedisTls files() {
        return files(caFile, certFile, keyFile);
    }

    private static RedisTls files(String caFile, String certFile, String keyFile) {
        try {
            return RedisTls.of(caFile, certFile, keyFile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "stepcast.redis.tls (ca-file, cert-file, key-file): " + e.getMessage(), e);
        }
    }
}
