package io.stepcast.gateway.publisher;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import io.stepcast.gateway.auth.AuthConfig;
import io.stepcast.gateway.auth.ClientPrincipal;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * Turns a publisher key presented as {@code Authorization: Bearer <key>} into an
 * {@link Authentication} with the role {@value ClientPrincipal#PUBLISHER_ROLE}. Keys in any other place (query string,
 * WebSocket subprotocol) are ignored, so a publisher key never travels in a URL.
 *
 * <p>A publisher authentication grants ingest only: {@link ClientPrincipal#from} returns empty for it,
 * so it reads no plan and opens no WebSocket session.
 *
 * <p>Stateless apart from the immutable keys; runs on the event loop (hashing only).
 */
@Singleton
@Requires(property = "stepcast.auth.enabled", notEquals = "false")
public final class PublisherKeyTokenValidator implements TokenValidator<HttpRequest<?>> {

    private final PublisherKeys keys;

    public PublisherKeyTokenValidator(AuthConfig config) {
        this.keys = new PublisherKeys(config.publisherKeys());
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        return authenticate(token, request)
                .<Publisher<Authentication>>map(Publishers::just)
                .orElseGet(Publishers::empty);
    }

    Optional<Authentication> authenticate(String token, @Nullable HttpRequest<?> request) {
        if (request == null || keys.isEmpty() || !fromAuthorizationHeader(token, request)) {
            return Optional.empty();
        }
        return keys.match(token)
                .map(fingerprint -> Authentication.build(
                        "publisher:" + fingerprint,
                        List.of(ClientPrincipal.PUBLISHER_ROLE),
                        Map.of(ClientPrincipal.PUBLISHER_ATTRIBUTE, fingerprint)));
    }

    private static boolean fromAuthorizationHeader(String token, HttpRequest<?> request) {
        for (String value : request.getHeaders().getAll(HttpHeaders.AUTHORIZATION)) {
            String v = value.trim();
            if (v.length() > 7
                    && v.regionMatches(true, 0, "Bearer ", 0, 7)
                    && v.substring(7).trim().equals(token)) {
                return true;
            }
        }
        return false;
    }
}
