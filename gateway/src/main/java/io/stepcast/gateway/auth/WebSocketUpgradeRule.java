package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Lets WebSocket upgrades through the HTTP security layer: a WebSocket endpoint authenticates its
 * client itself right after the upgrade ({@link ClientAuthenticator#authenticate}) and closes with
 * 4001 and a reason when the token is missing, invalid or expired, because a browser can read a close
 * code but never the status of a refused upgrade. The Origin allow-list ({@code OriginFilter}) still
 * refuses cross-site upgrades with 403 before this rule runs. Micronaut runs the filters of an upgrade
 * only when it targets a {@code @ServerWebSocket} route, so this opens nothing else.
 */
@Singleton
@Requires(property = "stepcast.auth.enabled", notEquals = "false")
public final class WebSocketUpgradeRule implements SecurityRule<HttpRequest<?>> {

    @Override
    public Publisher<SecurityRuleResult> check(
            @Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request != null && "websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeaders.UPGRADE))) {
            return Publishers.just(SecurityRuleResult.ALLOWED);
        }
        return Publishers.just(SecurityRuleResult.UNKNOWN);
    }

    @Override
    public int getOrder() {
        return PlanAccessRule.ORDER - 10;
    }
}
