package io.stepcast.gateway.auth;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code GET /api/info}: public facts a client needs before it connects, chiefly whether auth is on
 * (a dashboard shows a banner when it is off). Anonymous; reveals no configuration value.
 */
@Controller("/api/info")
@Secured(SecurityRule.IS_ANONYMOUS)
public final class GatewayInfoController {

    /** WebSocket subprotocol spoken by this gateway. */
    public static final String PROTOCOL = "stepcast.v1";

    private final GatewayInfo info;

    public GatewayInfoController(AuthConfig config) {
        this.info = new GatewayInfo(PROTOCOL, new GatewayInfo.Auth(config.enabled()));
    }

    @Get
    public GatewayInfo info() {
        return info;
    }

    /**
     * @param protocol the WebSocket subprotocol
     * @param auth     authentication facts
     */
    @Serdeable
    public record GatewayInfo(String protocol, Auth auth) {
        /** @param enabled false when the gateway runs with auth switched off (demo/dev) */
        @Serdeable
        public record Auth(boolean enabled) {
        }
    }
}
