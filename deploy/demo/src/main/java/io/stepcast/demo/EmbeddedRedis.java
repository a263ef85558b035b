package io.stepcast.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A throwaway Redis 6.2 process for the explicit demo/dev mode: the binary that ships inside the
 * {@code com.github.codemonstur:embedded-redis} jar, started and stopped by this class. Never used
 * outside {@link DemoLauncher}: a production gateway without Redis configured fails fast instead.
 *
 * <p>The server binds 127.0.0.1 only, persists nothing ({@code save ""}, no AOF) and keeps its
 * working files in a temporary directory. Only {@link #close()} stops it (no shutdown hook of its
 * own), so the demo launcher can stop the orchestrator and the gateway first.
 */
public final class EmbeddedRedis implements AutoCloseable {

    /** The well-known Redis port, preferred when it is free (so {@code redis-cli} just works). */
    public static final int DEFAULT_PORT = 6379;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final long START_TIMEOUT_SECONDS = 20;

    private final Process process;
    private final int port;

    private EmbeddedRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a Redis on {@code port}; {@code 0} means "6379 if it is free, else any free port".
     *
     * @throws UncheckedIOException when the process cannot be started
     */
    public static EmbeddedRedis start(int port) {
        int chosen = port > 0 ? port : (isFree(DEFAULT_PORT) ? DEFAULT_PORT : freePort());
        try {
            return startOn(chosen);
        } catch (IOException e) {
            if (port > 0) {
                throw new UncheckedIOException(
                        "could not start the embedded Redis on port " + chosen + ": " + e.getMessage(), e);
            }
            // lost a race for the port we probed: one more try on a fresh port
            int other = freePort();
            LOG.warn("embedded Redis could not use port {} ({}); trying {}", chosen, e.getMessage(), other);
            try {
                return startOn(other);
            } catch (IOException e2) {
                throw new UncheckedIOException("could not start the embedded Redis: " + e2.getMessage(), e2);
            }
        }
    }

    private static EmbeddedRedis startOn(int port) throws IOException {
        File executable = ExecutableProvider.newJarResourceProvider().get();
        Path dir = Files.createTempDirectory("stepcast-demo-redis");
        dir.toFile().deleteOnExit();
        List<String> command = new ArrayList<>();
        // Its own session: a terminal's Ctrl+C goes to the whole foreground process group, and
        // redis-server would stop at once, before the orchestrator and the gateway it serves.
        setsid().ifPresent(setsid -> command.add(setsid.toString()));
        command.addAll(List.of(
                executable.getAbsolutePath(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toAbsolutePath().toString(),
                "--maxmemory",
                "256mb",
                "--maxmemory-policy",
                "noeviction"));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        CountDownLatch ready = new CountDownLatch(1);
        Deque<String> lastLines = new ArrayDeque<>();
        Thread reader = new Thread(() -> pump(process, ready, lastLines), "stepcast-demo-redis-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        try {
            while (!ready.await(100, TimeUnit.MILLISECONDS)) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited: " + tail(lastLines));
                }
                if (System.nanoTime() - deadline > 0) {
                    process.destroyForcibly();
                    throw new IOException(
                            "redis-server did not get ready in " + START_TIMEOUT_SECONDS + " s: " + tail(lastLines));
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting redis-server", e);
        }
        return new EmbeddedRedis(process, port);
    }

    /**
     * {@code setsid} on the PATH (util-linux; not on macOS), which runs redis-server in a new session
     * under the same pid, so {@link Process#destroy()} still reaches it.
     */
    static Optional<Path> setsid() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "setsid");
            if (!dir.isBlank() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Reads the server's output: signals readiness, keeps the last lines for error messages. */
    private static void pump(Process process, CountDownLatch ready, Deque<String> lastLines) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 5) {
                        lastLines.removeFirst();
                    }
                }
                if (line.contains("Ready to accept connections")) {
                    ready.countDown();
                }
                LOG.debug("redis: {}", line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static String tail(Deque<String> lines) {
        synchronized (lines) {
            return String.join(" | ", lines);
        }
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** A Lettuce URI for this server, e.g. {@code redis://127.0.0.1:6379}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (SIGTERM, then forcibly after 5 s). Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                LOG.warn("embedded Redis on port {} did not stop within 5 s; killing it", port);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** True when nothing listens on {@code port} of the loopback interface. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port the OS considers free right now (another process may take it before we do). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
