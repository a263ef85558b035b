package io.stepcast.gateway.auth;

import java.util.Optional;

/** Bounds on presented token text, shared by the token readers. */
final class TokenText {

    /** Longest token accepted from any source; longer input is treated as no token. */
    static final int MAX_LENGTH = 8192;

    private TokenText() {}

    /** The trimmed token, or empty when blank or longer than {@value #MAX_LENGTH} characters. */
    static Optional<String> bounded(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String token = raw.trim();
        if (token.isEmpty() || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(token);
    }
}
