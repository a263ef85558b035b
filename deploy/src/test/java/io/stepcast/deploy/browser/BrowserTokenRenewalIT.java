package io.stepcast.deploy.browser;

import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.bridge.token.ClientTokens;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * stepcast.js's token renewal ({@code getToken}) in real headless Chromium against a real gateway
 * process with client authentication on (HS256) and a real Redis: the page's {@code getToken} asks
 * this test for a fresh token of 5 s ({@link ClientTokens}) on every call while the test publishes
 * continuously through the bridge for several token lifetimes.
 * <ul>
 *   <li>{@code renew-ws}: the WebSocket session is never closed with 4001, at least two
 *       {@code refreshed} arrive, and every event arrives once, in order, over the WebSocket;</li>
 *   <li>{@code renew-longpoll}: with long-poll only and a first token the gateway refuses (HTTP 401),
 *       the client gets a fresh token and retries, renews before expiry, and every event arrives
 *       once, in order, by long-poll.</li>
 * </ul>
 * {@code -Dstepcast.e2e.sabotage=renew} (no proactive renewal) or {@code =rejected} (no fresh token
 * after a refusal) makes them fail, which is how they were checked. Skipped (never failed) with a
 * message when node, Chromium, the gateway jar or playwright-core is unavailable.
 */
class BrowserTokenRenewalIT {

    private static final Path REPO = repoRoot();
    private static final Path BROWSER_DIR = REPO.resolve("deploy/browser");
    private static final Path OUT = REPO.resolve("deploy/target/browser-e2e");

    @Test
    void browserClientRenewsShortLivedTokensWithoutGapDuplicateOrExpiryOverWebSocketAndLongPoll() throws Exception {
        NodeTooling.requireNode();
        NodeTooling.requireChromium();
        Path jar = GatewayProcess.findJar(REPO);
        if (jar == null) {
            NodeTooling.skip("browser tests skipped: no gateway jar in gateway/target (run ./mvnw verify from the root)");
        }
        NodeTooling.installPlaywright(BROWSER_DIR);
        Files.createDirectories(OUT);
        String redisUri = TestRedis.shared().uri();
        String secret = "browser-renew-" + UUID.randomUUID() + UUID.randomUUID();
        ClientTokens tokens = ClientTokens.withSecret(secret);
        ClientTokens foreign = ClientTokens.withSecret("another-key-" + UUID.randomUUID() + UUID.randomUUID());
        try (GatewayProcess gateway = GatewayProcess.gateway(jar, GatewayProcess.freePort(),
                GatewayArgs.forTest(redisUri, secret), OUT);
             BridgeOrchestrator orchestrator = new BridgeOrchestrator(redisUri)) {
            gateway.start();
            E2eDriver.Result result = new E2eDriver(gateway, orchestrator, null)
                    .withTokenMinter((ttl, valid) -> (valid ? tokens : foreign).issue("browser-renew", List.of("e2e-*"), ttl, false))
                    .run(BROWSER_DIR, OUT, List.of("renew-ws", "renew-longpoll"));
            assertEquals(0, result.exitCode(), () -> "token renewal scenarios failed:\n" + result.output());
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
