package io.stepcast.gateway.auth;

import io.micronaut.http.HttpRequest;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates clients of any transport: the seam between the transports and token verification.
 *
 * <p>Implementations: {@link JwtClientAuthenticator} (auth enabled: micronaut-security-jwt verifies
 * HS256 or JWKS-signed tokens) and {@link DisabledClientAuthenticator} (auth switched off: every
 * client is {@link ClientPrincipal#anonymous()}).
 *
 * <p>Threading: both methods are non-blocking and may be called on the event loop; the returned stage
 * may complete on another thread (a JWKS fetch runs on an I/O thread). They never complete
 * exceptionally for bad input: a bad token is a {@link AuthResult.Denied}.
 */
public interface ClientAuthenticator {

    /** True unless auth is switched off ({@code stepcast.auth.enabled=false}). */
    boolean enabled();

    /**
     * Authenticates an HTTP request or WebSocket upgrade from its token (header, subprotocol or query).
     * Reuses the authentication the security filter already attached to the request when there is one.
     */
    CompletionStage<AuthResult> authenticate(HttpRequest<?> request);

    /**
     * Authenticates a WebSocket upgrade synchronously, right after the upgrade, from what the security
     * filter established while the upgrade request passed through it: the authentication it attached,
     * or why there is none ({@link AuthFailure#MISSING_TOKEN}, {@link AuthFailure#TOKEN_EXPIRED},
     * {@link AuthFailure#INVALID_TOKEN}, {@link AuthFailure#NOT_A_CLIENT_TOKEN}). Never blocks and never
     * verifies a signature again, so no client frame can be processed before the session knows who
     * the client is.
     */
    AuthResult authenticateUpgrade(HttpRequest<?> request);

    /** Verifies a token presented inside a protocol (the WebSocket {@code refresh} frame). */
    CompletionStage<AuthResult> verify(String token);

    /**
     * Verifies a refresh token for a session authenticated as {@code current}: the new token must be a
     * valid client token for the same subject ({@link AuthFailure#SUBJECT_MISMATCH} otherwise).
     */
    default CompletionStage<AuthResult> refresh(ClientPrincipal current, String token) {
        return verify(token).thenApply(result -> {
            if (result instanceof AuthResult.Granted granted
                    && !granted.principal().subject().equals(current.subject())) {
                return new AuthResult.Denied(AuthFailure.SUBJECT_MISMATCH);
            }
            return result;
        });
    }
}
