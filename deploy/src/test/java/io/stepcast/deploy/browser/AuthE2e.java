package io.stepcast.deploy.browser;

import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.bridge.token.ClientTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Runs scenarios of {@code deploy/browser/e2e.mjs} in Chromium against a real gateway process with
 * HS256 authentication on and a real Redis. Every {@code getToken} call of the page gets a token
 * minted for it (or one signed with a foreign key, when a scenario asks for a refused one). Skips
 * (never fails) with a message when node, Chromium, the gateway jar or playwright-core is missing.
 */
final class AuthE2e {

    static final Path REPO = repoRoot();
    static final Path BROWSER_DIR = REPO.resolve("deploy/browser");
    static final Path OUT = REPO.resolve("deploy/target/browser-e2e");

    private AuthE2e() {}

    /**
     * @param subject   the tokens' subject (also names the secret, for the logs)
     * @param pageToken whether the page also gets a long-lived token in its address
     */
    static E2eDriver.Result run(String subject, boolean pageToken, List<String> scenarios) throws Exception {
        Path jar = tooling();
        String redisUri = TestRedis.shared().uri();
        String secret = subject + "-" + UUID.randomUUID() + UUID.randomUUID();
        ClientTokens tokens = ClientTokens.withSecret(secret);
        ClientTokens foreign = ClientTokens.withSecret("another-key-" + UUID.randomUUID() + UUID.randomUUID());
        String page = pageToken ? tokens.issue(subject, List.of("e2e-*"), Duration.ofHours(1), false) : null;
        try (GatewayProcess gateway = GatewayProcess.gateway(
                        jar, GatewayProcess.freePort(), GatewayArgs.forTest(redisUri, secret), OUT);
                BridgeOrchestrator orchestrator = new BridgeOrchestrator(redisUri)) {
            gateway.start();
            return new E2eDriver(gateway, orchestrator, page)
                    .withTokenMinter(
                            (ttl, valid) -> (valid ? tokens : foreign).issue(subject, List.of("e2e-*"), ttl, false))
                    .run(BROWSER_DIR, OUT, scenarios);
        }
    }

    /** Node, Chromium, the gateway jar (returned) and playwright-core, or the test is skipped saying which is missing. */
    static Path tooling() throws Exception {
        NodeTooling.requireNode();
        NodeTooling.requireChromium();
        Path jar = GatewayProcess.findJar(REPO);
        if (jar == null) {
            NodeTooling.skip("gateway jar", "no gateway jar in gateway/target (run ./mvnw verify from the root)");
        }
        NodeTooling.installPlaywright(BROWSER_DIR);
        Files.createDirectories(OUT);
        return jar;
    }

    /** The repository root: the nearest directory up from here holding {@code deploy/browser/e2e.mjs}. */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("deploy/browser/e2e.mjs"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "repository root not found from " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
