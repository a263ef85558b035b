package io.stepcast.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.cli.BridgeCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bridge's Redis Cluster settings: mode, wait-replicas, and their CLI options. */
class ClusterSettingsTest {

    @Test
    void standaloneWithoutWaitingIsTheDefault() {
        BridgeConfig config = BridgeConfig.defaults();
        assertEquals(RedisMode.STANDALONE, config.redisMode());
        assertEquals(0, config.waitReplicas());
    }

    @Test
    void theModeIsParsedInAnyCaseAndAnythingElseIsRejected() {
        assertEquals(RedisMode.CLUSTER, RedisMode.parse("Cluster"));
        assertEquals(RedisMode.STANDALONE, RedisMode.parse(" standalone "));
        assertThrows(IllegalArgumentException.class, () -> RedisMode.parse("sentinel"));
    }

    @Test
    void waitReplicasAndItsTimeoutAreValidatedNamingTheField() {
        EventValidationException negative = assertThrows(
                EventValidationException.class,
                () -> BridgeConfig.builder().waitReplicas(-1).build());
        assertTrue(negative.getMessage().contains("waitReplicas"), negative.getMessage());
        EventValidationException tooLong = assertThrows(
                EventValidationException.class,
                () -> BridgeConfig.builder()
                        .waitReplicas(1)
                        .waitTimeout(Duration.ofSeconds(30))
                        .commandTimeout(Duration.ofSeconds(10))
                        .build());
        assertTrue(tooLong.getMessage().contains("waitTimeout"), tooLong.getMessage());
        assertEquals(2, BridgeConfig.builder().waitReplicas(2).build().waitReplicas());
    }

    @Test
    void theCliRejectsAnUnknownRedisModeAsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BridgeCli.run(
                new String[] {"pipe", "--redis-mode", "sentinel"},
                Map.of(),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--redis-mode"), err.toString(StandardCharsets.UTF_8));
    }
}
