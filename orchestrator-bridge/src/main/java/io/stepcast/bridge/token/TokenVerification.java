package io.stepcast.bridge.token;

import java.util.Objects;

/**
 * Outcome of {@link ClientTokens#verify(String)}: a rejected token is an expected outcome, so it is a
 * value, not an exception.
 */
public sealed interface TokenVerification {

    /** The token is well formed, correctly signed, and not expired. */
    record Valid(ClientTokenClaims claims) implements TokenVerification {
        public Valid {
            Objects.requireNonNull(claims, "claims");
        }
    }

    /** The token was rejected; {@code detail} is safe to log (it never contains the secret). */
    record Invalid(Reason reason, String detail) implements TokenVerification {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a token was rejected. */
    enum Reason {
        /** Not three base64url parts, or a part is not JSON. */
        MALFORMED,
        /** The header names another algorithm than HS256. */
        UNSUPPORTED_ALGORITHM,
        /** The signature does not match the secret. */
        BAD_SIGNATURE,
        /** {@code exp} has passed. */
        EXPIRED,
        /** A required claim is missing or has the wrong type. */
        BAD_CLAIMS
    }
}
