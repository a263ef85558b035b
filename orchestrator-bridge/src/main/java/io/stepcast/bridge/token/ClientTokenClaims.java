package io.stepcast.bridge.token;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The claims of a Stepcast client token (DESIGN §5, PROTOCOL "Client tokens").
 *
 * @param subject   {@code sub}: who the client is (user id, device id, ...)
 * @param plans     {@code plans}: exact plan ids and {@code prefix*} patterns the client may watch
 * @param cmd       {@code cmd}: whether the client may send commands to the watched plans
 * @param issuedAt  {@code iat}, whole seconds
 * @param expiresAt {@code exp}, whole seconds
 * @param issuer    {@code iss}, or {@code null} when the token has none
 */
public record ClientTokenClaims(
        String subject, List<String> plans, boolean cmd, Instant issuedAt, Instant expiresAt, String issuer) {

    public ClientTokenClaims {
        Objects.requireNonNull(subject, "subject");
        plans = List.copyOf(plans);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** True when one of {@link #plans()} grants access to {@code planId} (see {@link PlanPatterns}). */
    public boolean allowsPlan(String planId) {
        return PlanPatterns.anyMatches(plans, planId);
    }

    /** True when the token may send commands to {@code planId}: {@code cmd} and the plan is allowed. */
    public boolean allowsCommand(String planId) {
        return cmd && allowsPlan(planId);
    }

    /** True when the token has expired at {@code now} ({@code exp} is exclusive, as in RFC 7519). */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
