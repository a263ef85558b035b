package io.stepcast.gateway.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated client: the subject of its token, what it may access, and when its token expires.
 *
 * @param subject   the {@code sub} claim ({@code anonymous} when auth is switched off)
 * @param access    plans and commands granted by the token
 * @param expiresAt when this gateway stops honouring the token: its {@code exp} claim plus the
 *                  configured clock-skew leeway ({@code stepcast.auth.clock-skew}); {@code null} only
 *                  when auth is switched off
 */
public record ClientPrincipal(
        String subject, PlanAccess access, @Nullable Instant expiresAt) {

    /** Attribute that marks an {@link Authentication} built from a publisher key, not a client token. */
    public static final String PUBLISHER_ATTRIBUTE = "stepcast.publisher";

    /** Role of an {@link Authentication} built from a publisher key: it may ingest, never read. */
    public static final String PUBLISHER_ROLE = "stepcast:publisher";

    private static final ClientPrincipal ANONYMOUS = new ClientPrincipal("anonymous", PlanAccess.unrestricted(), null);

    public ClientPrincipal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(access, "access");
    }

    /** The principal of every client of a gateway whose auth is switched off: every plan, no expiry. */
    public static ClientPrincipal anonymous() {
        return ANONYMOUS;
    }

    /** True when the token has expired at {@code now} (never for the anonymous principal). */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * The client principal of a verified token's {@link Authentication}; empty when the authentication
     * is not a client token (a publisher key, or claims without {@code plans} or {@code exp}).
     */
    public static Optional<ClientPrincipal> from(@Nullable Authentication authentication) {
        return from(authentication, Duration.ZERO);
    }

    /**
     * As {@link #from(Authentication)}, with {@code leeway} added to the token's {@code exp}: the
     * principal expires when this gateway stops honouring the token.
     */
    public static Optional<ClientPrincipal> from(@Nullable Authentication authentication, Duration leeway) {
        if (authentication == null) {
            return Optional.empty();
        }
        Map<String, Object> claims = authentication.getAttributes();
        if (claims.containsKey(PUBLISHER_ATTRIBUTE)) {
            return Optional.empty();
        }
        Optional<List<String>> plans = ClaimValues.stringList(claims.get(ClaimValues.PLANS));
        Optional<Instant> exp = ClaimValues.instant(claims.get(ClaimValues.EXP));
        if (plans.isEmpty() || exp.isEmpty()) {
            return Optional.empty();
        }
        boolean cmd = Boolean.TRUE.equals(claims.get(ClaimValues.CMD));
        return Optional.of(new ClientPrincipal(
                authentication.getName(),
                PlanAccess.of(plans.get(), cmd),
                exp.get().plus(leeway)));
    }

    /** Helpers to read claim values as Nimbus and Micronaut hand them over. */
    static final class ClaimValues {
        static final String SUB = "sub";
        static final String PLANS = "plans";
        static final String CMD = "cmd";
        static final String EXP = "exp";
        static final String NBF = "nbf";
        static final String ISS = "iss";

        private ClaimValues() {}

        static Optional<List<String>> stringList(@Nullable Object value) {
            if (!(value instanceof List<?> list)) {
                return Optional.empty();
            }
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    return Optional.empty();
                }
                out.add(s);
            }
            return Optional.of(out);
        }

        static Optional<Instant> instant(@Nullable Object value) {
            if (value instanceof Date d) {
                return Optional.of(d.toInstant());
            }
            if (value instanceof Instant i) {
                return Optional.of(i);
            }
            if (value instanceof Long || value instanceof Integer) {
                return Optional.of(Instant.ofEpochSecond(((Number) value).longValue()));
            }
            return Optional.empty();
        }
    }
}
