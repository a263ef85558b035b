package io.stepcast.gateway.auth;

import java.util.Objects;

/** The outcome of authenticating a client: a principal, or the reason there is none. */
public sealed interface AuthResult {

    /** The client is authenticated as {@code principal}. */
    record Granted(ClientPrincipal principal) implements AuthResult {
        public Granted {
            Objects.requireNonNull(principal, "principal");
        }
    }

    /** The client is not authenticated, for {@code failure}. */
    record Denied(AuthFailure failure) implements AuthResult {
        public Denied {
            Objects.requireNonNull(failure, "failure");
        }
    }
}
