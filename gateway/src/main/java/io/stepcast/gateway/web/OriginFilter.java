package io.stepcast.gateway.web;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.stepcast.gateway.auth.AuthConfig;
import io.stepcast.gateway.auth.AuthErrorBody;
import io.stepcast.gateway.auth.OriginPolicy;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses WebSocket upgrades from browser origins outside {@link OriginPolicy} with HTTP 403 before
 * the upgrade: the defence against cross-site WebSocket hijacking (a page on another site opening a
 * socket to the gateway in its visitor's browser). Runs before authentication, with auth on or off.
 * Other requests pass untouched (the HTTP API is guarded by CORS, see {@link CorsConfigurer}).
 *
 * <p>Stateless; runs on the event loop.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public final class OriginFilter implements HttpServerFilter {

    private static final Logger LOG = LoggerFactory.getLogger(OriginFilter.class);

    private final OriginPolicy policy;

    public OriginFilter(AuthConfig config) {
        this.policy = new OriginPolicy(config.allowedOrigins());
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        HttpHeaders headers = request.getHeaders();
        if (!"websocket".equalsIgnoreCase(headers.get(HttpHeaders.UPGRADE))) {
            return chain.proceed(request);
        }
        String origin = headers.get(HttpHeaders.ORIGIN);
        if (policy.allows(origin, headers.get(HttpHeaders.HOST))) {
            return chain.proceed(request);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("WebSocket upgrade refused: origin not allowed ({} chars)", origin == null ? 0 : origin.length());
        }
        return Publishers.just(HttpResponse.status(HttpStatus.FORBIDDEN)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(AuthErrorBody.forbidden("origin not allowed")));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }
}
