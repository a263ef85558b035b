package io.stepcast.deploy.browser;

import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.bridge.token.ClientTokens;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * stepcast.js's SSE transport in real headless Chromium against a real gateway process (auth on,
 * HS256) and a real Redis, with the test publishing continuously through the bridge:
 * <ul>
 *   <li>{@code sse}: the dashboard forced to {@code ?transports=sse}; the gateway is stopped and
 *       started mid-way; every line shows once, in order, every delivery came by SSE and there was
 *       one snapshot only (each new stream resumed from the cursor); {@code unsubscribe} closes the
 *       plan's stream (the gateway's {@code stepcast_sse_streams} gauge drops to 0);</li>
 *   <li>{@code sse-fallback}: {@code websocket,sse,longpoll} with {@code window.WebSocket} unusable in
 *       the page: the client runs on SSE, across a restart as above; then a page whose streams a
 *       "proxy" answers without ever passing an event moves on to long-poll;</li>
 *   <li>{@code renew-sse}: 5 s tokens from {@code getToken}, the first one refused (HTTP 401), the
 *       gateway restarted mid-way: one fresh token after the 401, renewals before expiry, the
 *       reopened stream presents the newest token, every event once, in order, by SSE.</li>
 * </ul>
 * {@code -Dstepcast.e2e.sabotage=sse-off} (no SSE), {@code =sse-resume} (streams reopened without
 * the cursor) or {@code =rejected} (no fresh token after a 401) make them fail, which is how they
 * were checked. Skipped (never failed) with a message when node, Chromium, the gateway jar or
 * playwright-core is unavailable.
 */
class BrowserSseIT {

    private static final Path REPO = repoRoot();
    private static final Path BROWSER_DIR = REPO.resolve("deploy/browser");
    private static final Path OUT = REPO.resolve("deploy/target/browser-e2e");

    @Test
    void browserClientOnSseSeesEveryEventOnceAcrossGatewayRestartsFallsBackAndRenewsTokens() throws Exception {
        NodeTooling.requireNode();
        NodeTooling.requireChromium();
        Path jar = GatewayProcess.findJar(REPO);
        if (jar == null) {
            NodeTooling.skip("browser tests skipped: no gateway jar in gateway/target (run ./mvnw verify from the root)");
        }
        NodeTooling.installPlaywright(BROWSER_DIR);
        Files.createDirectories(OUT);
        String redisUri = TestRedis.shared().uri();
        String secret = "browser-sse-" + UUID.randomUUID() + UUID.randomUUID();
        ClientTokens tokens = ClientTokens.withSecret(secret);
        ClientTokens foreign = ClientTokens.withSecret("another-key-" + UUID.randomUUID() + UUID.randomUUID());
        String pageToken = tokens.issue("browser-sse", List.of("e2e-*"), Duration.ofHours(1), false);
        try (GatewayProcess gateway = GatewayProcess.gateway(jar, GatewayProcess.freePort(),
                GatewayArgs.forTest(redisUri, secret), OUT);
             BridgeOrchestrator orchestrator = new BridgeOrchestrator(redisUri)) {
            gateway.start();
            E2eDriver.Result result = new E2eDriver(gateway, orchestrator, pageToken)
                    .withTokenMinter((ttl, valid) -> (valid ? tokens : foreign).issue("browser-sse", List.of("e2e-*"), ttl, false))
                    .run(BROWSER_DIR, OUT, List.of(System.getProperty("stepcast.e2e.sse-scenarios",
                            "sse,sse-fallback,renew-sse").split(",")));
            assertEquals(0, result.exitCode(), () -> "SSE scenarios failed:\n" + result.output());
        }
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("deploy/browser/e2e.mjs"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root not found from " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
