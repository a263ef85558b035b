package io.stepcast.deploy.browser;

import io.stepcast.bridge.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The dashboard and stepcast.js in real headless Chromium (Debian's {@code chromium}, driven by
 * playwright-core from the npm registry; no browser download) against a real gateway process and a
 * real Redis: plans move live on the page; with the WebSocket blocked the page falls back to
 * long-poll, then plain poll, and still shows every step; across a gateway restart it shows every
 * event once. Screenshots land in {@code deploy/target/browser-e2e/}.
 *
 * <p>This class plays the orchestrator and the operator for {@code deploy/browser/e2e.mjs}: it
 * publishes the events the script asks for through the orchestrator-bridge and stops/starts the
 * gateway ({@link E2eDriver}).
 *
 * <p>Skipped (never failed) with a message when node, Chromium, the gateway jar or playwright-core
 * (npm) is unavailable.
 */
class BrowserDashboardIT {

    private static final Path REPO = repoRoot();
    private static final Path BROWSER_DIR = REPO.resolve("deploy/browser");
    private static final Path OUT = REPO.resolve("deploy/target/browser-e2e");

    private static GatewayProcess gateway;
    private static BridgeOrchestrator orchestrator;

    @BeforeAll
    static void startSystem() throws Exception {
        NodeTooling.requireNode();
        NodeTooling.requireChromium();
        Path jar = GatewayProcess.findJar(REPO);
        if (jar == null) {
            abort("browser tests skipped: no gateway jar in gateway/target (build with ./mvnw verify from the root)");
        }
        NodeTooling.installPlaywright(BROWSER_DIR);
        Files.createDirectories(OUT);
        String redisUri = TestRedis.shared().uri();
        gateway = new GatewayProcess(jar, GatewayProcess.freePort(), GatewayArgs.forTest(redisUri), OUT);
        gateway.start();
        orchestrator = new BridgeOrchestrator(redisUri);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void dashboardShowsPlansLiveFallsBackToPollingAndSurvivesAGatewayRestart() throws Exception {
        E2eDriver driver = new E2eDriver(gateway, orchestrator);
        E2eDriver.Result result = driver.run(BROWSER_DIR, OUT, List.of("live", "fallback", "poll", "restart"));
        assertEquals(0, result.exitCode(), () -> "browser scenarios failed:\n" + result.output());
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

    static Path out() throws IOException {
        return Files.createDirectories(OUT);
    }
}
