package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Reads a client token from a {@code bearer.<token>} entry of the {@code Sec-WebSocket-Protocol}
 * header of a WebSocket upgrade: the one header a browser's {@code new WebSocket(url, protocols)} can
 * set. Clients send {@code ["stepcast.v1", "bearer.<token>"]}; the server answers with
 * {@code stepcast.v1} only (the handshake selects among the subprotocols the endpoint declares), so the
 * token is never echoed.
 *
 * <p>Stateless; called on the event loop; never logs the token.
 */
@Singleton
@Requires(property = "stepcast.auth.enabled", notEquals = "false")
public final class SubprotocolTokenReader implements TokenReader<HttpRequest<?>> {

    /** Prefix of the subprotocol entry that carries the token. */
    public static final String PREFIX = "bearer.";

    static final String HEADER = "Sec-WebSocket-Protocol";
    static final int ORDER = 10;

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        if (!request.getHeaders().contains("Upgrade")) {
            return Optional.empty();
        }
        for (String header : request.getHeaders().getAll(HEADER)) {
            for (String entry : header.split(",")) {
                String candidate = entry.trim();
                if (candidate.length() > PREFIX.length()
                        && candidate.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                    return TokenText.bounded(candidate.substring(PREFIX.length()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
