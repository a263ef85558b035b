package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.stepcast.gateway.auth.ClientPrincipal.ClaimValues;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The claims every Stepcast client token must carry, checked after its signature. micronaut-security's
 * own {@code exp} validator is switched off ({@code micronaut.security.token.jwt.claims-validators.expiration}
 * in application.yml) and its {@code nbf} validator is off by default: both times are checked here,
 * with the {@code stepcast.auth.clock-skew} leeway:
 * <ul>
 *   <li>{@code sub}: a non-blank string of at most {@value #MAX_SUBJECT_LENGTH} characters;</li>
 *   <li>{@code exp}: present, and now is before {@code exp + clock-skew};</li>
 *   <li>{@code nbf}: when present, a number of seconds, and now is at or after {@code nbf - clock-skew};</li>
 *   <li>{@code plans}: an array of strings (invalid entries grant nothing, see {@link PlanAccess});</li>
 *   <li>{@code cmd}: a boolean when present;</li>
 *   <li>{@code iss}: equal to {@code stepcast.auth.issuer} when that is configured.</li>
 * </ul>
 * Stateless and thread-safe.
 *
 * @param <T> request type
 */
@Singleton
@Requires(property = "stepcast.auth.enabled", notEquals = "false")
public class ClientClaimsValidator<T> implements GenericJwtClaimsValidator<T> {

    /** Longest accepted subject (the bridge's {@code ClientTokens} limit). */
    public static final int MAX_SUBJECT_LENGTH = 256;
    /** Most entries in the {@code plans} claim. */
    public static final int MAX_PLANS = 1024;

    private final AuthConfig config;
    private final Clock clock;

    public ClientClaimsValidator(AuthConfig config) {
        this(config, Clock.systemUTC());
    }

    ClientClaimsValidator(AuthConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public boolean validate(@NonNull Claims claims, @Nullable T request) {
        return problem(claims).isEmpty();
    }

    /** Why the claims are not those of a usable client token, or empty when they are. */
    Optional<String> problem(Claims claims) {
        if (!(claims.get(ClaimValues.SUB) instanceof String sub)
                || sub.isBlank()
                || sub.length() > MAX_SUBJECT_LENGTH) {
            return Optional.of("sub must be a non-blank string of at most " + MAX_SUBJECT_LENGTH + " characters");
        }
        Optional<Instant> exp = ClaimValues.instant(claims.get(ClaimValues.EXP));
        if (exp.isEmpty()) {
            return Optional.of("exp is required");
        }
        Instant now = clock.instant();
        if (!now.isBefore(exp.get().plus(config.clockSkew()))) {
            return Optional.of("token expired");
        }
        Object nbfClaim = claims.get(ClaimValues.NBF);
        if (nbfClaim != null) {
            Optional<Instant> nbf = ClaimValues.instant(nbfClaim);
            if (nbf.isEmpty()) {
                return Optional.of("nbf must be a number of seconds");
            }
            if (now.isBefore(nbf.get().minus(config.clockSkew()))) {
                return Optional.of("token not valid yet");
            }
        }
        Optional<List<String>> plans = ClaimValues.stringList(claims.get(ClaimValues.PLANS));
        if (plans.isEmpty() || plans.get().size() > MAX_PLANS) {
            return Optional.of("plans must be an array of at most " + MAX_PLANS + " strings");
        }
        Object cmd = claims.get(ClaimValues.CMD);
        if (cmd != null && !(cmd instanceof Boolean)) {
            return Optional.of("cmd must be a boolean");
        }
        if (config.issuer() != null && !config.issuer().equals(claims.get(ClaimValues.ISS))) {
            return Optional.of("iss does not match");
        }
        return Optional.empty();
    }
}
