package io.stepcast.deploy.browser;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway as a real operating-system process ({@code java -jar gateway.jar}, or another main class
 * of that jar such as the demo launcher), on a fixed port so it can be stopped and started again at
 * the same address, with its output in a log file per start.
 *
 * <p>Not thread-safe: one test drives it.
 */
public final class GatewayProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final int port;
    private final Path logDir;
    private Process process;
    private int starts;

    private GatewayProcess(String name, List<String> command, int port, Path logDir) {
        this.name = name;
        this.command = List.copyOf(command);
        this.port = port;
        this.logDir = logDir;
    }

    /** The gateway ({@code Application}) on {@code port}, with extra {@code --key=value} settings. */
    public static GatewayProcess gateway(Path jar, int port, List<String> settings, Path logDir) {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of(
                "-jar",
                jar.toString(),
                "--micronaut.server.port=" + port,
                "--micronaut.server.host=127.0.0.1",
                "--stepcast.management.metrics-public=true"));
        cmd.addAll(settings);
        return new GatewayProcess("gateway", cmd, port, logDir);
    }

    /**
     * The demo mode of the README's run command (the demo module's runnable jar): embedded Redis, gateway
     * and simulated orchestrator.
     */
    static GatewayProcess demo(Path demoJar, int port, int redisPort, Path logDir) {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of(
                "-jar",
                demoJar.toString(),
                "--demo",
                "--host=127.0.0.1",
                "--port=" + port,
                "--redis-port=" + redisPort,
                "--plans=3"));
        return new GatewayProcess("demo", cmd, port, logDir);
    }

    private static List<String> javaCommand() {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms32m",
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:TieredStopAtLevel=1");
    }

    /** The runnable (shaded) gateway jar of this build, or null when it was not built. */
    public static Path findJar(Path repo) throws IOException {
        Path target = repo.resolve("gateway/target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (var files = Files.list(target)) {
            return files.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith("gateway-")
                                && n.endsWith(".jar")
                                && !n.contains("-sources")
                                && !n.contains("-javadoc")
                                && !n.contains("-tests");
                    })
                    .max((a, b) ->
                            Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElse(null);
        }
    }

    /** The demo module's runnable jar ({@code deploy/demo/target/demo-*.jar}, its libraries in {@code lib/}), or null. */
    static Path findDemoJar(Path repo) throws IOException {
        Path target = repo.resolve("deploy/demo/target");
        if (!Files.isDirectory(target.resolve("lib"))) {
            return null;
        }
        try (var files = Files.list(target)) {
            return files.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith("demo-")
                                && n.endsWith(".jar")
                                && !n.contains("-sources")
                                && !n.contains("-javadoc")
                                && !n.contains("-tests");
                    })
                    .findFirst()
                    .orElse(null);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process and waits until it serves {@code /stepcast.js}. */
    public void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        Path log = logDir.resolve(name + "-" + (++starts) + ".log");
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await(name + " on port " + port + " (log: " + log + ")")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .failFast(name + " process exited, see " + log, () -> !process.isAlive())
                .until(this::serving);
    }

    /** Graceful stop (SIGTERM: the gateway drains), then a kill if it hangs. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** SIGKILL: no shutdown work at all, like a crashed or OOM-killed instance. */
    public void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    private boolean serving() {
        try {
            HttpURLConnection c = (HttpURLConnection)
                    URI.create(baseUrl() + "/stepcast.js").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
