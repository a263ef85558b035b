package io.stepcast.deploy.browser;

import java.util.List;

/** Command-line settings of the gateway under test. */
final class GatewayArgs {

    private GatewayArgs() {}

    /**
     * A gateway on the test's Redis with client authentication on (HS256 tokens signed with
     * {@code secret}; the page gets its token in the address), and a short drain so a restart does
     * not wait the production drain window; presence heartbeats every second, so watcher counts change
     * within the scenarios' waits.
     */
    static List<String> forTest(String redisUri, String secret) {
        return List.of(
                "--stepcast.redis.uri=" + redisUri,
                "--stepcast.auth.enabled=true",
                "--stepcast.auth.hs256-secret=" + secret,
                "--stepcast.ws.drain-window=1s",
                "--stepcast.ws.reconnect-after-max=500ms",
                "--stepcast.presence.heartbeat=1s"); // live watcher counts within the scenarios' 30 s waits
    }
}
