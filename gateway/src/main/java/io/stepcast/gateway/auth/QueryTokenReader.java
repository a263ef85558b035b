package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Reads a client token from the {@code token} query parameter of a {@code GET} request: for browsers,
 * whose {@code EventSource} cannot set headers. Never used for other methods, so publisher keys and
 * ingest requests never travel in a URL.
 *
 * <p>URLs end up in proxy and access logs: prefer the header or the WebSocket subprotocol where the
 * client can, and keep such tokens short-lived. The gateway itself never logs query strings (see
 * docs/security.md).
 *
 * <p>Stateless; called on the event loop.
 */
@Singleton
@Requires(property = "stepcast.auth.enabled", notEquals = "false")
public final class QueryTokenReader implements TokenReader<HttpRequest<?>> {

    /** Name of the query parameter. */
    public static final String PARAMETER = "token";

    static final int ORDER = 20;

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return Optional.empty();
        }
        return request.getParameters().getFirst(PARAMETER).flatMap(TokenText::bounded);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
