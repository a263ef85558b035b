package io.stepcast.bridge.demo;

import java.util.List;
import java.util.Random;

/** Plausible log output of the simulated steps. */
final class DemoLogLines {

    private static final List<String> FAILURES = List.of(
            "exit code 1: 3 tests failed (OrderServiceTest, CartTest, CheckoutIT)",
            "exit code 137: container killed (out of memory)",
            "timeout after 600 s waiting for health check",
            "dependency resolution failed: artifact not found in registry",
            "vulnerability CVE-2024-3094 found in xz-utils 5.6.0 (critical)",
            "rollout stalled: 2 of 6 replicas unavailable");

    private DemoLogLines() {
    }

    static String line(String step, int n, Random random) {
        int k = random.nextInt(1000);
        String text = switch (step) {
            case "checkout" -> pick(n, "Cloning into 'workspace'...",
                    "remote: Enumerating objects: " + (2000 + k) + ", done.",
                    "HEAD is now at " + hex(random, 7) + " Merge pull request #" + (100 + k));
            case "install" -> pick(n, "Resolving dependencies...", "added " + (300 + k) + " packages in " + (5 + k % 20) + "s",
                    "Cache hit: node_modules (key " + hex(random, 8) + ")");
            case "lint" -> pick(n, "Linting " + (100 + k) + " files", "0 errors, " + (k % 7) + " warnings");
            case "build" -> pick(n, "Compiling " + (100 + k) + " source files", "Bundling assets (" + (k % 900 + 100) + " kB)",
                    "BUILD SUCCESS in " + (10 + k % 50) + "." + (k % 10) + "s");
            case "unit-tests", "integration-tests" -> pick(n, "Running " + step + " (" + (4 + k % 4) + " workers)",
                    "Tests run: " + (50 + k) + ", Failures: 0, Errors: 0, Skipped: " + (k % 3),
                    "Coverage: " + (70 + k % 25) + "." + (k % 10) + "%");
            case "security-scan" -> pick(n, "Scanning image layers (" + (5 + k % 10) + ")", "0 critical, " + (k % 4) + " medium findings");
            case "package" -> pick(n, "Building image registry.local/app:" + hex(random, 7), "Pushed digest sha256:" + hex(random, 12));
            case "deploy-staging", "deploy-production" -> pick(n, "Applying manifests to " + step.substring(7),
                    "Waiting for rollout: " + (1 + k % 6) + " of 6 updated replicas available", "Rollout complete");
            case "smoke-test" -> pick(n, "GET /health -> 200 (" + (5 + k % 40) + " ms)", "GET /api/orders -> 200 (" + (20 + k % 80) + " ms)");
            default -> pick(n, "Sending notification to #deployments", "Notified " + (1 + k % 5) + " channel(s)");
        };
        return "[" + step + "] " + text + "\n";
    }

    static String failure(String step, Random random) {
        if (step.contains("tests")) {
            return FAILURES.get(0);
        }
        return FAILURES.get(1 + random.nextInt(FAILURES.size() - 1));
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
