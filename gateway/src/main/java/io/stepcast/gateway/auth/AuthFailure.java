package io.stepcast.gateway.auth;

/**
 * Why a client is not authenticated. Transports map it to their own shape: HTTP 401 with a JSON
 * {@code error} body, WebSocket close 4001 with {@link #message()} as the reason. Messages name the
 * failure class only; they never contain the token, a claim value or an exception text.
 */
public enum AuthFailure {
    /** No token in the {@code Authorization} header, the WebSocket subprotocol or {@code ?token=}. */
    MISSING_TOKEN("missing token"),
    /** A token that is malformed, unsigned, signed with an unknown key or lacks required claims. */
    INVALID_TOKEN("invalid token"),
    /** A well-formed token whose {@code exp} has passed: get a fresh one. */
    TOKEN_EXPIRED("token expired"),
    /** A valid credential that is not a client token (e.g. a publisher key on a read endpoint). */
    NOT_A_CLIENT_TOKEN("not a client token"),
    /** A refresh token whose {@code sub} differs from the session's. */
    SUBJECT_MISMATCH("token subject differs from the session's");

    private final String message;

    AuthFailure(String message) {
        this.message = message;
    }

    /** Short ASCII text for error bodies and close reasons (well under 123 bytes). */
    public String message() {
        return message;
    }
}
