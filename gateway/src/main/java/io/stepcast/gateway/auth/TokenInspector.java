package io.stepcast.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Explains why a token that failed verification failed, for the client's benefit only: a token whose
 * (unverified) {@code exp} has passed is reported as {@link AuthFailure#TOKEN_EXPIRED} so the client
 * knows to fetch a new one; everything else is {@link AuthFailure#INVALID_TOKEN}. The result never
 * grants anything and never echoes token content.
 */
final class TokenInspector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenInspector() {}

    /** Why {@code token} (already rejected by every validator) was rejected. */
    static AuthFailure explain(String token, Clock clock, Duration clockSkew) {
        if (token == null || token.length() > TokenText.MAX_LENGTH) {
            return AuthFailure.INVALID_TOKEN;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return AuthFailure.INVALID_TOKEN;
        }
        try {
            JsonNode claims =
                    JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            JsonNode exp = claims == null ? null : claims.get("exp");
            if (exp != null
                    && exp.isIntegralNumber()
                    && exp.asLong() + clockSkew.toSeconds() <= clock.instant().getEpochSecond()) {
                return AuthFailure.TOKEN_EXPIRED;
            }
        } catch (Exception e) { // any decoding problem: the token is simply invalid
            return AuthFailure.INVALID_TOKEN;
        }
        return AuthFailure.INVALID_TOKEN;
    }
}
