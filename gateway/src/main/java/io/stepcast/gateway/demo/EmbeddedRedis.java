package io.stepcast.gateway.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throwaway Redis 6.2 process for the explicit demo/dev mode (the binary ships inside the
 * {@code com.github.codemonstur:embedded-redis} jar). Never used outside {@link DemoLauncher}:
 * a production gateway without Redis configured fails fast instead.
 *
 * <p>The server binds 127.0.0.1 only, persists nothing ({@code save ""}, no AOF) and keeps its
 * working files in a temporary directory. {@link #close()} stops the process (the demo launcher's
 * shutdown hook calls it last, after the gateway and the orchestrator are down).
 */
public final class EmbeddedRedis implements AutoCloseable {

    /** The well-known Redis port, preferred when it is free (so {@code redis-cli} just works). */
    public static final int DEFAULT_PORT = 6379;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
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
        } catch (IOException | RuntimeException e) {
            if (port > 0) {
                throw new UncheckedIOException(new IOException(
                        "could not start the embedded Redis on port " + chosen + ": " + e.getMessage(), e));
            }
            // lost a race for the port we probed: one more try on a fresh port
            int other = freePort();
            LOG.warn("embedded Redis could not use port {} ({}); trying {}", chosen, e.getMessage(), other);
            try {
                return startOn(other);
            } catch (IOException e2) {
                throw new UncheckedIOException(new IOException(
                        "could not start the embedded Redis: " + e2.getMessage(), e2));
            }
        }
    }

    private static EmbeddedRedis startOn(int port) throws IOException {
        Path dir = Files.createTempDirectory("stepcast-demo-redis");
        dir.toFile().deleteOnExit();
        RedisServer server = RedisServer.newRedisServer()
                .port(port)
                .setting("bind 127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("dir " + dir.toAbsolutePath())
                .setting("maxmemory 256mb")
                .setting("maxmemory-policy noeviction")
                // stopped by close(), after the gateway and the orchestrator, never by a shutdown
                // hook of its own racing theirs
                .onShutdownForceStop(false)
                .build();
        server.start();
        return new EmbeddedRedis(server, port);
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** A Lettuce URI for this server, e.g. {@code redis://127.0.0.1:6379}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException | RuntimeException e) {
            LOG.warn("embedded Redis on port {} did not stop cleanly: {}", port, e.toString());
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
