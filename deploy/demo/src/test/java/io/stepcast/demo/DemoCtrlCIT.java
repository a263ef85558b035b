package io.stepcast.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.testing.MissingTool;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Ctrl+C of the demo jar as a terminal delivers it: SIGINT to the whole foreground process group
 * (the JVM and its redis-server child). The demo stops the orchestrator, the gateway and Redis in
 * that order, as the README says, with no WARN line on the way.
 */
class DemoCtrlCIT {

    @Test
    void ctrlCStopsOrchestratorThenGatewayThenRedisWithoutWarnings() throws Exception {
        Path setsid = onPath("setsid");
        Path kill = onPath("kill");
        MissingTool.assumePresent(
                setsid != null && kill != null,
                "setsid/kill",
                () -> "the test starts the demo in a process group of its own to send it a terminal's Ctrl+C"
                        + " (util-linux, procps)");
        int redisPort = freePort();
        Path log = Files.createTempFile("demo-ctrl-c", ".log");
        Process demo = new ProcessBuilder(
                        setsid.toString(),
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        demoJar().toString(),
                        "--demo",
                        "--port=-1",
                        "--redis-port=" + redisPort)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> read(log).contains("Press Ctrl+C to stop."));
            if (ignoresSigint(demo.pid())) {
                // e.g. a build started in the background by a non-interactive shell: the JVM then keeps
                // SIGINT ignored, as a terminal's foreground job never has it
                throw MissingTool.skip(
                        "SIGINT delivery",
                        "this build runs with SIGINT ignored, so the demo inherits that and"
                                + " a Ctrl+C cannot be simulated; run the build in the foreground");
            }

            // setsid made the JVM the leader of a new process group: signal the group, like a terminal
            Process ctrlC = new ProcessBuilder(kill.toString(), "-INT", "--", "-" + demo.pid()).start();
            assertEquals(0, ctrlC.waitFor(), "kill -INT of the demo's process group");
            assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "the demo exits after Ctrl+C");

            String output = read(log);
            String stopping = output.substring(output.indexOf("stopping the stepcast demo"));
            int orchestrator = stopping.indexOf("demo orchestrator stopped");
            int gateway = stopping.indexOf("gateway stopped");
            int redis = stopping.indexOf("embedded Redis stopped");
            assertTrue(orchestrator >= 0 && orchestrator < gateway && gateway < redis, stopping);
            List<String> warnings = stopping.lines()
                    .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                    .toList();
            assertEquals(List.of(), warnings, stopping);
        } finally {
            demo.destroyForcibly();
        }
    }

    /** True when {@code /proc/<pid>/status} lists SIGINT (signal 2) among the ignored signals. */
    private static boolean ignoresSigint(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(
                                        line.substring("SigIgn:".length()).trim(), 16)
                                & 0x2L)
                        != 0;
            }
        }
        return false;
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static Path onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, exe);
            if (!dir.isBlank() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The demo module's runnable jar (failsafe runs after package). */
    private static Path demoJar() throws IOException {
        Path target = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("demo-[^-].*\\.jar")
                            && !p.getFileName().toString().contains("-tests"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no demo jar in " + target));
        }
    }
}
