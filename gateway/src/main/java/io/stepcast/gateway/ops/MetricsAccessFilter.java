package io.stepcast.gateway.ops;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.stepcast.gateway.http.ApiErrors;
import io.stepcast.gateway.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.reactivestreams.Publisher;

/**
 * Guards {@code /prometheus} as {@link ManagementConfig} says: open when {@code metrics-public},
 * otherwise only for {@code Authorization: Bearer <metrics-key>} (compared in constant time), and 403
 * when no key is configured. Runs before authentication, so a client token never opens metrics.
 *
 * <p>Stateless; runs on the event loop; never blocks.
 */
@Filter({"/prometheus", "/prometheus/**"})
public final class MetricsAccessFilter implements HttpServerFilter {

    private static final String BEARER = "Bearer ";

    private final ManagementConfig config;
    private final byte[] key;

    public MetricsAccessFilter(ManagementConfig config) {
        this.config = config;
        this.key = config.metricsKey() == null ? null : config.metricsKey().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (config.metricsPublic()) {
            return chain.proceed(request);
        }
        if (key == null) {
            return Publishers.just(ApiErrors.of(
                    HttpStatus.FORBIDDEN,
                    ErrorCode.FORBIDDEN,
                    "metrics are not public: set stepcast.management.metrics-key and send it as a Bearer token"));
        }
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization != null
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && MessageDigest.isEqual(
                        key, authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8))) {
            return chain.proceed(request);
        }
        return Publishers.just(ApiErrors.of(
                HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, "metrics need the management key as a Bearer token"));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }
}
