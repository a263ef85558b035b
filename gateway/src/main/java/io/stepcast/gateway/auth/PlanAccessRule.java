package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * Authorizes the HTTP API per plan, before any controller runs, so that a plan outside a token's
 * {@code plans} never yields a byte (poll, dashboard poll, long-poll, SSE):
 * <ul>
 *   <li>{@code GET}/{@code HEAD} on a plan route → allowed when the client token grants every plan the
 *       request names ({@link PlanRoutes}), rejected otherwise (401 without a valid token, 403 with
 *       one);</li>
 *   <li>any other method on a plan route (ingest: {@code POST /api/plans/{plan}/events}) → allowed
 *       only with a publisher key ({@code PublisherKeyTokenValidator}); a client token gets 403.</li>
 * </ul>
 * Requests that are not about a plan are left to the other rules (the intercept-url-map).
 * Runs before {@code @Secured} and the intercept-url-map; stateless; never blocks.
 */
@Singleton
@Requires(property = "stepcast.auth.enabled", notEquals = "false")
public final class PlanAccessRule implements SecurityRule<HttpRequest<?>> {

    /** Runs before {@link SecuredAnnotationRule}. */
    public static final int ORDER = SecuredAnnotationRule.ORDER - 100;

    @Override
    public Publisher<SecurityRuleResult> check(
            @Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request == null) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        PlanRoutes.Target target = PlanRoutes.of(request);
        if (!target.isPlanRoute()) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        return Publishers.just(decide(target, authentication));
    }

    static SecurityRuleResult decide(PlanRoutes.Target target, @Nullable Authentication authentication) {
        if (authentication == null) {
            return SecurityRuleResult.REJECTED;
        }
        if (target.write()) {
            return authentication.getRoles().contains(ClientPrincipal.PUBLISHER_ROLE)
                    ? SecurityRuleResult.ALLOWED
                    : SecurityRuleResult.REJECTED;
        }
        Optional<ClientPrincipal> principal = ClientPrincipal.from(authentication);
        if (principal.isEmpty()) {
            return SecurityRuleResult.REJECTED;
        }
        for (String plan : target.plans()) {
            if (!principal.get().access().canRead(plan)) {
                return SecurityRuleResult.REJECTED;
            }
        }
        return SecurityRuleResult.ALLOWED;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
