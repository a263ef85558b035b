package io.stepcast.deploy.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.bridge.token.ClientTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and {@code stepcast.js}, unchanged, against a gateway started on a Redis Cluster URI
 * ({@code stepcast.redis.mode=cluster}) with the orchestrator publishing in cluster mode: in real
 * Chromium the plan moves live, every event shows once, and the page resumes across a gateway restart
 * (the e2e.mjs scenarios {@code live} and {@code restart} of {@link BrowserDashboardIT}).
 *
 * <p>Skipped with a message when node, Chromium, the gateway jar, playwright-core or redis-server ≥ 7
 * with redis-cli (or {@code REDIS_CLUSTER_URI}) is unavailable.
 */
class BrowserClusterDashboardIT {

    private static final Path REPO = AuthE2e.repoRoot();
    private static final Path BROWSER_DIR = REPO.resolve("deploy/browser");
    private static final Path OUT = REPO.resolve("deploy/target/browser-e2e-cluster");

    @Test
    void dashboardShowsPlansLiveAndResumesAcrossAGatewayRestartOnARedisCluster() throws Exception {
        Path jar = AuthE2e.tooling();
        TestRedisCluster.assumeAvailable();
        String seeds = TestRedisCluster.shared().uri();
        Files.createDirectories(OUT);
        String secret = "browser-e2e-cluster-" + UUID.randomUUID() + UUID.randomUUID();
        String token =
                ClientTokens.withSecret(secret).issue("browser-e2e", List.of("e2e-*"), Duration.ofHours(1), true);
        List<String> settings = new ArrayList<>(GatewayArgs.forTest(seeds, secret));
        settings.add("--stepcast.redis.mode=cluster");
        try (GatewayProcess gateway = GatewayProcess.gateway(jar, GatewayProcess.freePort(), settings, OUT);
                BridgeOrchestrator orchestrator = new BridgeOrchestrator(
                        seeds,
                        BridgeConfig.builder().redisMode(RedisMode.CLUSTER).build())) {
            gateway.start();
            E2eDriver.Result result =
                    new E2eDriver(gateway, orchestrator, token).run(BROWSER_DIR, OUT, List.of("live", "restart"));
            assertEquals(
                    0, result.exitCode(), () -> "browser scenarios on a Redis Cluster failed:\n" + result.output());
        }
    }
}
