package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code stepcast.auth} block: how clients and publishers prove who they are.
 *
 * <pre>
 * stepcast.auth.enabled          true (default); false only for a demo/dev gateway (loud warning)
 * stepcast.auth.hs256-secret     shared HS256 secret of client tokens, at least 32 bytes (UTF-8)
 * stepcast.auth.jwks-url         http(s) URL of a JWKS document: RS256/ES256 client tokens
 * stepcast.auth.issuer           when set, client tokens must carry this {@code iss}
 * stepcast.auth.allowed-origins  browser origins allowed to open WebSockets and call the HTTP API
 *                                cross-origin; empty (default) = same origin only; "*" = any
 * stepcast.auth.publisher-keys   keys accepted for HTTP ingest ({@code Authorization: Bearer <key>})
 * stepcast.auth.clock-skew       leeway for the {@code exp} and {@code nbf} of client tokens against this
 *                                gateway's clock (default 10s, at most 5m)
 * </pre>
 *
 * <p>With auth enabled, at least one of {@code hs256-secret} and {@code jwks-url} is required, or the
 * gateway refuses to start ({@link #problems()} lists what is wrong; {@code AuthGuard} enforces it).
 * {@link #toString()} never shows secrets.
 */
@ConfigurationProperties("stepcast.auth")
public record AuthConfig(
        @Bindable(defaultValue = "true") boolean enabled,
        @Nullable String hs256Secret,
        @Nullable String jwksUrl,
        @Nullable String issuer,
        @Nullable List<String> allowedOrigins,
        @Nullable List<String> publisherKeys,
        @Bindable(defaultValue = "10s") @Nullable Duration clockSkew) {

    /** Shortest accepted HS256 secret, in bytes (RFC 7518 §3.2). */
    public static final int MIN_SECRET_BYTES = 32;
    /** Shortest accepted publisher key, in characters. */
    public static final int MIN_PUBLISHER_KEY_LENGTH = 24;
    /** Leeway for {@code exp}/{@code nbf} when none is configured. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(10);
    /** Largest accepted leeway: a clock further off than this needs fixing, not tolerating. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    public AuthConfig {
        hs256Secret = blankToNull(hs256Secret);
        jwksUrl = blankToNull(jwksUrl);
        issuer = blankToNull(issuer);
        allowedOrigins = nonBlank(allowedOrigins);
        publisherKeys = nonBlank(publisherKeys);
        clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
    }

    /** Auth switched off: every client may read every plan. */
    public static AuthConfig disabled() {
        return new AuthConfig(false, null, null, null, null, null, null);
    }

    /** True when client tokens can be verified: a secret or a JWKS URL is configured. */
    public boolean hasTokenKeys() {
        return hs256Secret != null || jwksUrl != null;
    }

    /** What makes this configuration unusable with auth enabled; empty when it is fine. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!enabled) {
            return problems;
        }
        if (!hasTokenKeys()) {
            problems.add(
                    "no key to verify client tokens: set stepcast.auth.hs256-secret (env STEPCAST_AUTH_HS256_SECRET,"
                            + " at least " + MIN_SECRET_BYTES
                            + " bytes) or stepcast.auth.jwks-url (env STEPCAST_AUTH_JWKS_URL),"
                            + " or switch auth off explicitly for a demo/dev gateway with stepcast.auth.enabled=false"
                            + " (env STEPCAST_AUTH_ENABLED=false)");
        }
        if (hs256Secret != null && hs256Secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            problems.add("stepcast.auth.hs256-secret must be at least " + MIN_SECRET_BYTES + " bytes, got "
                    + hs256Secret.getBytes(StandardCharsets.UTF_8).length);
        }
        if (jwksUrl != null && !isHttpUrl(jwksUrl)) {
            problems.add("stepcast.auth.jwks-url must be an absolute http(s) URL");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            problems.add("stepcast.auth.clock-skew must be between 0s and " + MAX_CLOCK_SKEW.toMinutes() + "m, got "
                    + clockSkew);
        }
        for (String key : publisherKeys) {
            if (key.length() < MIN_PUBLISHER_KEY_LENGTH) {
                problems.add("every stepcast.auth.publisher-keys entry must be at least " + MIN_PUBLISHER_KEY_LENGTH
                        + " characters");
                break;
            }
        }
        for (String origin : allowedOrigins) {
            if (!"*".equals(origin) && !"null".equals(origin) && OriginPolicy.normalize(origin) == null) {
                problems.add("stepcast.auth.allowed-origins entry is not an origin (scheme://host[:port]): " + origin);
            }
        }
        return problems;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static List<String> nonBlank(List<String> list) {
        if (list == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(list.size());
        for (String s : list) {
            if (s != null && !s.isBlank()) {
                out.add(s.trim());
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "AuthConfig[enabled=" + enabled
                + ", hs256Secret=" + (hs256Secret == null ? "unset" : "<set>")
                + ", jwksUrl=" + (jwksUrl == null ? "unset" : jwksUrl)
                + ", issuer=" + (issuer == null ? "unset" : issuer)
                + ", allowedOrigins=" + allowedOrigins
                + ", publisherKeys=" + publisherKeys.size() + "]";
    }
}
