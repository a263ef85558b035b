package io.stepcast.gateway.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.util.List;

/**
 * Connection limits per client, block {@code stepcast.limits} (docs/configuration.md): how many
 * long-lived connections (WebSockets, SSE streams and waiting long-polls together) one token subject
 * and one client address may hold on this instance. Past a limit a new connection is refused like at
 * the instance cap: HTTP 503 with {@code Retry-After} and an {@code error unavailable} body.
 *
 * @param connectionsPerSubject connections per token subject ({@code sub}); 0 = no limit. Applies
 *                              only with auth on. Default 100
 * @param connectionsPerAddress connections per client address; 0 = no limit. Default 1000
 * @param trustedProxies        peers (IP addresses or CIDR ranges, IPv4 or IPv6) whose
 *                              {@code Forwarded}/{@code X-Forwarded-For} headers name the client
 *                              address; from any other peer the headers are ignored and the peer is
 *                              the client. {@code none} trusts no peer. Default: loopback, private
 *                              (RFC 1918, IPv6 unique-local) and link-local ranges, where load
 *                              balancers usually sit
 */
@ConfigurationProperties("stepcast.limits")
public record ConnectionLimitsConfig(
        @Min(0) @Bindable(defaultValue = "100") int connectionsPerSubject,
        @Min(0) @Bindable(defaultValue = "1000") int connectionsPerAddress,
        @Bindable(defaultValue = DEFAULT_TRUSTED_PROXIES) List<String> trustedProxies) {

    /** Loopback, private and link-local ranges. */
    public static final String DEFAULT_TRUSTED_PROXIES =
            "127.0.0.0/8,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,169.254.0.0/16,fc00::/7,fe80::/10";

    public ConnectionLimitsConfig {
        if (connectionsPerSubject < 0 || connectionsPerAddress < 0) {
            throw new ConfigurationException("stepcast.limits.connections-per-subject and connections-per-address"
                    + " must be 0 (no limit) or more");
        }
        trustedProxies =
                trustedProxies == null ? List.of(DEFAULT_TRUSTED_PROXIES.split(",")) : List.copyOf(trustedProxies);
        try {
            TrustedProxies.parse(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("stepcast.limits.trusted-proxies: " + e.getMessage());
        }
    }

    /** The parsed {@link #trustedProxies}. */
    public TrustedProxies proxies() {
        return TrustedProxies.parse(trustedProxies);
    }
}
