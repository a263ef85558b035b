package io.stepcast.bridge.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.stepcast.bridge.RedisAccessException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;

/**
 * Tells Redis's refusals of a client (authentication, ACL permission, TLS certificate) from
 * transient failures in what Lettuce reports; shared by the publisher (which does not retry them) and
 * the gateway (which reports them on its readiness). Stateless.
 */
public final class RedisRefusals {

    private RedisRefusals() {}

    /**
     * The refusal behind {@code failure} that no retry can fix, or null: {@code NOAUTH}/{@code WRONGPASS}
     * (also when a connect attempt failed on them), {@code NOPERM}, or a TLS handshake that failed on a
     * certificate (untrusted, hostname/IP not in the SAN, client certificate refused by the server).
     * Follows causes and suppressed exceptions (a cluster's failed topology load carries one per seed).
     * The returned exception has {@code failure} as its cause.
     */
    public static RedisAccessException classify(Throwable failure) {
        return accessFailure(failure, failure, 0);
    }

    private static RedisAccessException accessFailure(Throwable t, Throwable top, int depth) {
        if (t == null || depth > 12) {
            return null;
        }
        String msg = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof RedisCommandExecutionException) {
            if (msg.startsWith("NOAUTH") || msg.startsWith("WRONGPASS") || msg.startsWith("ERR AUTH")) {
                return new RedisAccessException(
                        RedisAccessException.Kind.AUTHENTICATION,
                        "Redis refused the credentials (" + msg + "): check user and password in the Redis URI;"
                                + " not retried",
                        top);
            }
            if (msg.startsWith("NOPERM")) {
                return new RedisAccessException(
                        RedisAccessException.Kind.AUTHORIZATION,
                        "Redis refused a command of the publisher (" + msg + "): the ACL user needs the publish"
                                + " script's commands (EVALSHA/EVAL, plus WAIT with wait-replicas) on the prefix's"
                                + " keys and channels; not retried",
                        top);
            }
        }
        if (t instanceof CertificateException || (t instanceof SSLHandshakeException && isCertificateRefusal(msg))) {
            return new RedisAccessException(
                    RedisAccessException.Kind.TLS,
                    "TLS handshake with Redis failed (" + msg
                            + "): check the CA file (stepcast.redis.tls.ca-file, --redis-tls-ca), that the server"
                            + " certificate names the host or IP in its SAN, and the client certificate; not retried",
                    top);
        }
        RedisAccessException found = accessFailure(t.getCause(), top, depth + 1);
        for (Throwable s : t.getSuppressed()) {
            if (found == null) {
                found = accessFailure(s, top, depth + 1);
            }
        }
        return found;
    }

    /** A handshake refused over a certificate (not a connection cut mid-handshake, which is transient). */
    private static boolean isCertificateRefusal(String msg) {
        String m = msg.toLowerCase(Locale.ROOT);
        return m.contains("certificate")
                || m.contains("pkix")
                || m.contains("subject alternative")
                || m.contains("fatal alert");
    }
}
