package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secure by default: checked when the application context starts.
 * <ul>
 *   <li>auth enabled (the default) without a key to verify client tokens, or with an unusable one → the
 *       gateway refuses to start, naming the settings to fix;</li>
 *   <li>auth switched off explicitly → one loud WARN line (and {@code GET /api/info} says so, for the
 *       dashboard's banner);</li>
 *   <li>{@code micronaut.security.enabled} set against {@code stepcast.auth.enabled} → refuse to
 *       start: the two must agree (application.yml derives one from the other).</li>
 * </ul>
 */
@Context
public final class AuthGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AuthGuard.class);

    private final AuthConfig config;

    public AuthGuard(
            AuthConfig config, @Nullable @Property(name = "micronaut.security.enabled") Boolean securityEnabled) {
        this.config = config;
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new ConfigurationException(
                    "Stepcast gateway refuses to start, auth is misconfigured: " + String.join("; ", problems));
        }
        boolean security = securityEnabled == null || securityEnabled;
        if (security != config.enabled()) {
            throw new ConfigurationException("Stepcast gateway refuses to start: micronaut.security.enabled=" + security
                    + " contradicts stepcast.auth.enabled=" + config.enabled()
                    + "; set only stepcast.auth.enabled (application.yml derives the other)");
        }
        if (!config.enabled()) {
            LOG.warn("AUTH DISABLED (stepcast.auth.enabled=false): every client may read and command every plan"
                    + " and ingest needs no key. Demo/dev only, never in production.");
        } else {
            LOG.info(
                    "Client tokens: {}{}{}; publisher keys: {}; allowed origins: {}",
                    config.hs256Secret() != null ? "HS256" : "",
                    config.hs256Secret() != null && config.jwksUrl() != null ? " + " : "",
                    config.jwksUrl() != null ? "JWKS " + config.jwksUrl() : "",
                    config.publisherKeys().size(),
                    config.allowedOrigins().isEmpty() ? "same origin only" : config.allowedOrigins());
        }
    }

    /** True unless auth is switched off. */
    public boolean authEnabled() {
        return config.enabled();
    }
}
