package io.stepcast.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged production jar started as an operator would, with no configuration at all: it ends
 * at once with one paragraph naming every missing setting (Redis and client-token keys) and the demo,
 * and no stack trace.
 */
class UnconfiguredStartIT {

    @Test
    void productionJarWithoutConfigurationNamesEveryMissingSettingInOneParagraph() throws Exception {
        Path jar = gatewayJar();
        Path out = Files.createTempFile("gateway-unconfigured", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("STEPCAST_") || k.startsWith("MICRONAUT_") || k.equals("REDIS_URI"));
        Process gateway = pb.start();
        try {
            assertTrue(gateway.waitFor(90, TimeUnit.SECONDS), "the gateway gives up at once");
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(1, gateway.exitValue(), output);
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), () -> "one paragraph, nothing else:\n" + output);
            String paragraph = lines.get(0);
            assertTrue(paragraph.startsWith("Stepcast gateway cannot start: 2 settings are missing"), paragraph);
            assertTrue(paragraph.contains("stepcast.redis.uri"), paragraph);
            assertTrue(paragraph.contains("stepcast.auth.hs256-secret"), paragraph);
            assertTrue(paragraph.contains("stepcast.auth.enabled=false"), paragraph);
            assertTrue(paragraph.contains("--demo"), paragraph);
            assertFalse(output.contains("Exception"), output);
        } finally {
            gateway.destroyForcibly();
        }
    }

    /** The shaded jar the gateway module's package phase built (failsafe runs after it). */
    private static Path gatewayJar() throws IOException {
        Path target = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith("gateway-")
                                && n.endsWith(".jar")
                                && !n.contains("-tests")
                                && !n.contains("-sources")
                                && !n.contains("-javadoc");
                    })
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no gateway jar in " + target
                            + ": run through the reactor (./mvnw -pl gateway -am verify)"));
        }
    }
}
