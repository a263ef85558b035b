package io.stepcast.bridge.demo;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Plausible log output of the simulated steps. */
final class DemoLogLines {

    /** Failures that can happen in each step of {@link DemoRun#STEPS}: a failed step says why in its own terms. */
    static final Map<String, List<String>> FAILURES = Map.ofEntries(
            Map.entry(
                    "checkout",
                    List.of(
                            "fatal: could not read from remote repository (connection reset by peer)",
                            "fatal: reference is not a tree: the commit was force-pushed away")),
            Map.entry(
                    "install",
                    List.of(
                            "dependency resolution failed: artifact not found in registry",
                            "checksum mismatch for a downloaded package: refusing to install")),
            Map.entry("lint", List.of("lint failed: 3 errors (no-unused-vars, eqeqeq, no-undef)")),
            Map.entry(
                    "build",
                    List.of(
                            "compilation failed: 2 errors in src/orders/OrderService",
                            "exit code 137: build container killed (out of memory)")),
            Map.entry("unit-tests", List.of("exit code 1: 3 tests failed (OrderServiceTest, CartTest, PriceTest)")),
            Map.entry(
                    "integration-tests",
                    List.of(
                            "exit code 1: 2 tests failed (CheckoutIT, InventoryIT)",
                            "test database did not become ready within 120 s")),
            Map.entry("security-scan", List.of("vulnerability CVE-2024-3094 found in xz-utils 5.6.0 (critical)")),
            Map.entry(
                    "package",
                    List.of(
                            "push rejected by the registry: 401 unauthorized",
                            "exit code 137: image build killed (out of memory)")),
            Map.entry(
                    "deploy-staging",
                    List.of(
                            "staging rollout stalled: 2 of 6 replicas unavailable",
                            "timeout after 600 s waiting for the staging health check")),
            Map.entry("smoke-test", List.of("GET /api/orders -> 503 after 3 retries")),
            Map.entry(
                    "deploy-production",
                    List.of(
                            "production rollout stalled: 2 of 6 replicas unavailable",
                            "timeout after 600 s waiting for the production health check")),
            Map.entry("notify", List.of("notification failed: the chat webhook answered 410 gone")));

    private DemoLogLines() {}

    static String line(String step, int n, Random random) {
        int k = random.nextInt(1000);
        String text = switch (step) {
            case "checkout" ->
                pick(
                        n,
                        "Cloning into 'workspace'...",
                        "remote: Enumerating objects: " + (2000 + k) + ", done.",
                        "HEAD is now at " + hex(random, 7) + " Merge pull request #" + (100 + k));
            case "install" ->
                pick(
                        n,
                        "Resolving dependencies...",
                        "added " + (300 + k) + " packages in " + (5 + k % 20) + "s",
                        "Cache hit: node_modules (key " + hex(random, 8) + ")");
            case "lint" -> pick(n, "Linting " + (100 + k) + " files", "0 errors, " + (k % 7) + " warnings");
            case "build" ->
                pick(
                        n,
                        "Compiling " + (100 + k) + " source files",
                        "Bundling assets (" + (k % 900 + 100) + " kB)",
                        "BUILD SUCCESS in " + (10 + k % 50) + "." + (k % 10) + "s");
            case "unit-tests", "integration-tests" ->
                pick(
                        n,
                        "Running " + step + " (" + (4 + k % 4) + " workers)",
                        "Tests run: " + (50 + k) + ", Failures: 0, Errors: 0, Skipped: " + (k % 3),
                        "Coverage: " + (70 + k % 25) + "." + (k % 10) + "%");
            case "security-scan" ->
                pick(n, "Scanning image layers (" + (5 + k % 10) + ")", "0 critical, " + (k % 4) + " medium findings");
            case "package" ->
                pick(
                        n,
                        "Building image registry.local/app:" + hex(random, 7),
                        "Pushed digest sha256:" + hex(random, 12));
            case "deploy-staging", "deploy-production" ->
                pick(
                        n,
                        "Applying manifests to " + step.substring(7),
                        "Waiting for rollout: " + (1 + k % 6) + " of 6 updated replicas available",
                        "Rollout complete");
            case "smoke-test" ->
                pick(
                        n,
                        "GET /health -> 200 (" + (5 + k % 40) + " ms)",
                        "GET /api/orders -> 200 (" + (20 + k % 80) + " ms)");
            default -> pick(n, "Sending notification to #deployments", "Notified " + (1 + k % 5) + " channel(s)");
        };
        return "[" + step + "] " + text + "\n";
    }

    /** Why {@code step} failed, in that step's own terms. */
    static String failure(String step, Random random) {
        List<String> reasons = FAILURES.getOrDefault(step, List.of(step + " failed: exit code 1"));
        return reasons.get(random.nextInt(reasons.size()));
    }

    private static String pick(int n, String... lines) {
        return lines[n % lines.length];
    }

    private static String hex(Random random, int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }
}
