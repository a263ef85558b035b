package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.reader.TokenResolver;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Authenticates clients with micronaut-security: the token readers (the {@code Authorization: Bearer}
 * header, {@link SubprotocolTokenReader}, {@link QueryTokenReader}) find the token, the JWT validators
 * check its signature against {@link TokenKeysFactory}'s keys and {@link ClientClaimsValidator} its
 * claims. A request that passed the security filter with a valid token is not verified twice.
 *
 * <p>Non-blocking; stateless apart from immutable collaborators; thread-safe.
 */
@Singleton
@Requires(property = "stepcast.auth.enabled", notEquals = "false")
public final class JwtClientAuthenticator implements ClientAuthenticator {

    private final List<TokenValidator<HttpRequest<?>>> validators;
    private final TokenResolver<HttpRequest<?>> resolver;
    private final Clock clock;
    private final Duration clockSkew;

    @Inject
    public JwtClientAuthenticator(
            List<TokenValidator<HttpRequest<?>>> validators,
            TokenResolver<HttpRequest<?>> resolver,
            AuthConfig config) {
        this(validators, resolver, Clock.systemUTC(), config.clockSkew());
    }

    JwtClientAuthenticator(
            List<TokenValidator<HttpRequest<?>>> validators,
            TokenResolver<HttpRequest<?>> resolver,
            Clock clock,
            Duration clockSkew) {
        this.validators = List.copyOf(validators);
        this.resolver = resolver;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(HttpRequest<?> request) {
        Optional<Authentication> attached = request.getUserPrincipal(Authentication.class);
        if (attached.isPresent()) {
            return CompletableFuture.completedFuture(toResult(attached.get()));
        }
        List<String> tokens = resolver.resolveTokens(request);
        if (tokens.isEmpty()) {
            return CompletableFuture.completedFuture(new AuthResult.Denied(AuthFailure.MISSING_TOKEN));
        }
        return verifyAll(tokens, request);
    }

    @Override
    public AuthResult authenticateUpgrade(HttpRequest<?> request) {
        Optional<Authentication> attached = request.getUserPrincipal(Authentication.class);
        if (attached.isPresent()) {
            return toResult(attached.get());
        }
        List<String> tokens = resolver.resolveTokens(request);
        if (tokens.isEmpty()) {
            return new AuthResult.Denied(AuthFailure.MISSING_TOKEN);
        }
        // the security filter tried every presented token and none verified: explain, never grant
        return new AuthResult.Denied(TokenInspector.explain(tokens.get(0), clock, clockSkew));
    }

    @Override
    public CompletionStage<AuthResult> verify(String token) {
        Optional<String> bounded = TokenText.bounded(token);
        if (bounded.isEmpty()) {
            return CompletableFuture.completedFuture(new AuthResult.Denied(
                    token == null || token.isBlank() ? AuthFailure.MISSING_TOKEN : AuthFailure.INVALID_TOKEN));
        }
        return verifyAll(List.of(bounded.get()), null);
    }

    private CompletionStage<AuthResult> verifyAll(List<String> tokens, @Nullable HttpRequest<?> request) {
        return Flux.fromIterable(tokens)
                .concatMap(token -> Flux.fromIterable(validators)
                        .concatMap(validator -> validator.validateToken(token, request))
                        .next())
                .next()
                .map(this::toResult)
                .onErrorResume(e -> Mono.empty())
                .switchIfEmpty(Mono.fromSupplier(
                        () -> new AuthResult.Denied(TokenInspector.explain(tokens.get(0), clock, clockSkew))))
                .toFuture();
    }

    private AuthResult toResult(Authentication authentication) {
        return ClientPrincipal.from(authentication, clockSkew)
                .<AuthResult>map(AuthResult.Granted::new)
                .orElseGet(() -> new AuthResult.Denied(AuthFailure.NOT_A_CLIENT_TOKEN));
    }
}
