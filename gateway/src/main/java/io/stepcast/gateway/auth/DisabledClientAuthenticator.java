package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The authenticator of a gateway whose auth is switched off ({@code stepcast.auth.enabled=false}, demo
 * and development only): every client is {@link ClientPrincipal#anonymous()} and may read and command
 * every plan. {@code AuthGuard} logs a warning at start-up and {@code GET /api/info} reports it.
 */
@Singleton
@Requires(property = "stepcast.auth.enabled", value = "false")
public final class DisabledClientAuthenticator implements ClientAuthenticator {

    private static final CompletionStage<AuthResult> ANONYMOUS =
            CompletableFuture.completedFuture(new AuthResult.Granted(ClientPrincipal.anonymous()));

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(HttpRequest<?> request) {
        return ANONYMOUS;
    }

    @Override
    public AuthResult authenticateUpgrade(HttpRequest<?> request) {
        return ANONYMOUS.toCompletableFuture().join();
    }

    @Override
    public CompletionStage<AuthResult> verify(String token) {
        return ANONYMOUS;
    }
}
