package io.stepcast.gateway.web;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.cors.CorsOriginConfiguration;
import io.stepcast.gateway.auth.AuthConfig;
import io.stepcast.gateway.auth.OriginPolicy;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives Micronaut's CORS configuration ({@code micronaut.server.cors}) from
 * {@code stepcast.auth.allowed-origins}, so one list governs both WebSocket upgrades
 * ({@link OriginFilter}) and cross-origin calls to the HTTP API.
 *
 * <p>With no allowed origins, nothing is added: browsers then refuse cross-origin reads (same-origin
 * only). Otherwise a {@code stepcast} CORS configuration allows those origins to {@code GET} the read
 * endpoints and {@code POST} ingest, with the {@code Authorization}, {@code Content-Type},
 * {@code If-None-Match} and {@code Last-Event-ID} request headers, exposing {@code ETag},
 * {@code X-Poll-Interval} and {@code Retry-After}; no credentials (tokens are bearer tokens, never
 * cookies). A CORS block configured explicitly under {@code micronaut.server.cors.configurations} is
 * kept as is.
 */
@Singleton
public final class CorsConfigurer implements BeanCreatedEventListener<HttpServerConfiguration.CorsConfiguration> {

    /** Name of the derived CORS configuration. */
    public static final String NAME = "stepcast";

    private final AuthConfig config;

    public CorsConfigurer(AuthConfig config) {
        this.config = config;
    }

    @Override
    public HttpServerConfiguration.CorsConfiguration onCreated(
            BeanCreatedEvent<HttpServerConfiguration.CorsConfiguration> event) {
        HttpServerConfiguration.CorsConfiguration cors = event.getBean();
        OriginPolicy policy = new OriginPolicy(config.allowedOrigins());
        if (!policy.hasCrossOriginEntries() || cors.getConfigurations().containsKey(NAME)) {
            return cors;
        }
        CorsOriginConfiguration origins = new CorsOriginConfiguration();
        origins.setAllowedOrigins(
                config.allowedOrigins().contains("*")
                        ? CorsOriginConfiguration.ANY
                        : List.copyOf(config.allowedOrigins()));
        origins.setAllowedMethods(List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST));
        origins.setAllowedHeaders(List.of("Authorization", "Content-Type", "If-None-Match", "Last-Event-ID"));
        origins.setExposedHeaders(List.of("ETag", "X-Poll-Interval", "Retry-After"));
        origins.setAllowCredentials(false);
        origins.setAllowPrivateNetwork(false);
        Map<String, CorsOriginConfiguration> all = new LinkedHashMap<>(cors.getConfigurations());
        all.put(NAME, origins);
        cors.setConfigurations(all);
        cors.setEnabled(true);
        return cors;
    }
}
