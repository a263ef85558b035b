package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.security.token.reader.TokenResolver;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Answers requests the security rules rejected: 401 or 403 with an {@link AuthErrorBody} and, for
 * 401, an RFC 6750 {@code WWW-Authenticate: Bearer} challenge. Replaces micronaut-security's default
 * handler, whose error body echoes the request URI (and so a {@code ?token=}).
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
@Requires(property = "stepcast.auth.enabled", notEquals = "false")
public final class AuthRejectionHandler implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    private final TokenResolver<HttpRequest<?>> resolver;
    private final Clock clock = Clock.systemUTC();
    private final Duration clockSkew;

    public AuthRejectionHandler(TokenResolver<HttpRequest<?>> resolver, AuthConfig config) {
        this.resolver = resolver;
        this.clockSkew = config.clockSkew();
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        PlanRoutes.Target target = PlanRoutes.of(request);
        boolean write = target.write() && target.isPlanRoute();
        if (exception.isForbidden()) {
            String message = write
                    ? "publishing needs a publisher key, not a client token"
                    : "the token does not grant this plan";
            return HttpResponse.status(HttpStatus.FORBIDDEN)
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(AuthErrorBody.forbidden(message));
        }
        String message;
        String challenge;
        List<String> tokens = resolver.resolveTokens(request);
        if (tokens.isEmpty()) {
            message = write ? "missing publisher key" : AuthFailure.MISSING_TOKEN.message();
            challenge = "Bearer realm=\"stepcast\"";
        } else {
            message = write
                    ? "invalid publisher key"
                    : TokenInspector.explain(tokens.get(0), clock, clockSkew).message();
            challenge = "Bearer realm=\"stepcast\", error=\"invalid_token\"";
        }
        return HttpResponse.unauthorized()
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(AuthErrorBody.unauthorized(message));
    }
}
