package io.stepcast.deploy.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the unit tests of stepcast.js ({@code deploy/browser/test/*.test.mjs}) under node's own test
 * runner: snapshot/event ordering, duplicate and gap handling, resume cursors, bounded queue,
 * heartbeat, drain, fallback to long-poll and poll and back. No network, no browser. Skipped when
 * node is absent.
 */
class StepcastJsClientTest {

    @Test
    void stepcastJsDeliversEachEventOnceInOrderAcrossReconnectsAndTransports() {
        NodeTooling.requireNode();
        Path repo = Path.of("").toAbsolutePath();
        while (!Files.exists(repo.resolve("deploy/browser/test"))) {
            repo = repo.getParent();
        }
        NodeTooling.Exec.Result r = NodeTooling.Exec.runQuietly(
                List.of("node", "--test", "--test-reporter=spec", "deploy/browser/test/"), repo, Duration.ofMinutes(3));
        System.out.println(r.output());
        assertEquals(0, r.exitCode(), () -> "node --test failed:\n" + r.output());
        assertTrue(r.output().contains("pass"), () -> "no test ran:\n" + r.output());
    }
}
