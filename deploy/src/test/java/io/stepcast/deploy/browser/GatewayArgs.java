package io.stepcast.deploy.browser;

import java.util.List;

/** Command-line settings of the gateway under test. */
final class GatewayArgs {

    private GatewayArgs() {
    }

    /**
     * A gateway on the test's Redis, client authentication off (the page connects without a token),
     * with a short drain so a restart does not wait the production drain window.
     */
    static List<String> forTest(String redisUri) {
        return List.of("--stepcast.redis.uri=" + redisUri, "--stepcast.auth.enabled=false",
                "--stepcast.ws.drain-window=1s", "--stepcast.ws.reconnect-after-max=500ms");
    }
}
