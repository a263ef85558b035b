package io.stepcast.deploy.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.bridge.token.ClientTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and stepcast.js in real headless Chromium (Debian's {@code chromium}, driven by
 * playwright-core from the npm registry; no browser download) against a real gateway process and a
 * real Redis: plans move live on the page; with the WebSocket blocked the page falls back to
 * long-poll, then plain poll, and still shows every step; across a gateway restart it shows every
 * event once; the demo mode of the README's run command shows its simulated plans moving.
 * Screenshots land in {@code deploy/target/browser-e2e/}.
 *
 * <p>This class plays the orchestrator and the operator for {@code deploy/browser/e2e.mjs}: it
 * publishes the events the script asks for through the orchestrator-bridge and stops/starts the
 * gateway ({@link E2eDriver}).
 *
 * <p>Skipped (never failed) with a message when node, Chromium, the gateway jar or playwright-core
 * (npm) is unavailable.
 */
class BrowserDashboardIT {

    private static final Path REPO = AuthE2e.repoRoot();
    private static final Path BROWSER_DIR = REPO.resolve("deploy/browser");
    private static final Path OUT = REPO.resolve("deploy/target/browser-e2e");

    /** Node, Chromium, the gateway jar and playwright-core, or the test is skipped saying which is missing. */
    private static Path tooling() throws Exception {
        return AuthE2e.tooling();
    }

    @Test
    void dashboardShowsPlansLiveFallsBackToPollingAndShowsEveryEventOnceAcrossAGatewayRestart() throws Exception {
        Path jar = tooling();
        String redisUri = TestRedis.shared().uri();
        String secret = "browser-e2e-" + UUID.randomUUID() + UUID.randomUUID();
        // the page's token: the test's plans only (a plan outside them must show "forbidden")
        String token =
                ClientTokens.withSecret(secret).issue("browser-e2e", List.of("e2e-*"), Duration.ofHours(1), true);
        try (GatewayProcess gateway = GatewayProcess.gateway(
                        jar, GatewayProcess.freePort(), GatewayArgs.forTest(redisUri, secret), OUT);
                BridgeOrchestrator orchestrator = new BridgeOrchestrator(redisUri)) {
            gateway.start();
            E2eDriver.Result result = new E2eDriver(gateway, orchestrator, token).run(BROWSER_DIR, OUT, scenarios());
            assertEquals(0, result.exitCode(), () -> "browser scenarios failed:\n" + result.output());
        }
    }

    @Test
    void demoModeShowsTheSimulatedPlansMovingAtTheRoot() throws Exception {
        tooling();
        Path demoJar = GatewayProcess.findDemoJar(REPO);
        if (demoJar == null) {
            NodeTooling.skip("demo jar", "no demo jar in deploy/demo/target (run ./mvnw verify from the root)");
        }
        try (GatewayProcess demo =
                GatewayProcess.demo(demoJar, GatewayProcess.freePort(), GatewayProcess.freePort(), OUT)) {
            demo.start();
            E2eDriver.Result result = new E2eDriver(demo, null, null).run(BROWSER_DIR, OUT, List.of("demo"));
            assertEquals(0, result.exitCode(), () -> "demo scenario failed:\n" + result.output());
        }
    }

    /** The scenarios of e2e.mjs to run: all, or {@code -Dstepcast.e2e.scenarios=live,restart}. */
    private static List<String> scenarios() {
        return List.of(System.getProperty("stepcast.e2e.scenarios", "live,fallback,poll,restart,home,home-watchers")
                .split(","));
    }
}
