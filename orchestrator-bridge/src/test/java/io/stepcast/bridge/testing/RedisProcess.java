package io.stepcast.bridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process owned by one test: bound to 127.0.0.1 on a free port, with its
 * own temporary working directory. It can be stopped gracefully, killed, and started again on the
 * same port (restart tests); with {@link Options#aof()} the data survives a restart (appendonly yes,
 * appendfsync always), otherwise a restart starts empty.
 *
 * <p>Every live process is killed at JVM exit (shutdown hook) even when a test forgets
 * {@link #close()}. Methods are synchronized; one instance may be shared between threads.
 */
public final class RedisProcess implements AutoCloseable {

    /** How a throwaway Redis is started. */
    public record Options(boolean aof, Path executable, List<String> extraArgs, TestTls tls) {
        public Options {
            extraArgs = List.copyOf(extraArgs == null ? List.of() : extraArgs);
        }

        /** No persistence, executable per {@link TestRedis#throwawayExecutable()}. */
        public static Options defaults() {
            return new Options(false, null, List.of(), null);
        }

        /** Append-only file, fsync on every write, so data survives stop/kill + start. */
        public Options withAof() {
            return new Options(true, executable, extraArgs, tls);
        }

        /** Use this redis-server executable instead of the default choice. */
        public Options withExecutable(Path exe) {
            return new Options(aof, exe, extraArgs, tls);
        }

        /** Extra command-line arguments, e.g. {@code "--maxmemory", "10mb"}. */
        public Options withArgs(String... args) {
            List<String> all = new ArrayList<>(extraArgs);
            all.addAll(List.of(args));
            return new Options(aof, executable, all, tls);
        }

        /**
         * Also a TLS listener on its own free port ({@link #tlsUri()}) with {@code tls}'s server
         * certificate (clients must present a certificate unless {@code --tls-auth-clients no} is added).
         * The plain port stays open on loopback for the fixture's own PING/SHUTDOWN/cluster set-up;
         * code under test is given only the TLS URI.
         */
        public Options withTls(TestTls tls) {
            return new Options(aof, executable, extraArgs, tls);
        }
    }

    private static final Set<RedisProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (RedisProcess p : LIVE) {
                                p.destroyQuietly();
                            }
                        },
                        "stepcast-redis-reaper"));
    }

    private final Options options;
    private final Path executable;
    private final Path dir;
    private int port;
    private int tlsPort;
    private boolean portFixed;
    private Process process;

    RedisProcess(Options options, Path executable) {
        this.options = options;
        this.executable = executable;
        try {
            this.dir = Files.createTempDirectory("stepcast-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (and restarts) on this port instead of a free one; before the first {@link #start()}. */
    synchronized RedisProcess atPort(int fixedPort) {
        this.port = fixedPort;
        this.portFixed = true;
        return this;
    }

    public synchronized String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized int port() {
        return port;
    }

    /** {@code rediss://127.0.0.1:<tls port>} of a server started {@link Options#withTls with TLS}. */
    public synchronized String tlsUri() {
        if (options.tls() == null) {
            throw new IllegalStateException("started without TLS: " + this);
        }
        return "rediss://127.0.0.1:" + tlsPort;
    }

    /** The TLS port (0 without TLS). */
    public synchronized int tlsPort() {
        return tlsPort;
    }

    public Path executable() {
        return executable;
    }

    public Path dir() {
        return dir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the server (first start: a free port; later starts: the same port) and waits until it
     * answers PING.
     *
     * @throws IllegalStateException if already running or the server does not come up
     */
    public synchronized RedisProcess start() {
        if (isRunning()) {
            throw new IllegalStateException("already running on port " + port);
        }
        for (int attempt = 1; ; attempt++) {
            if (!portFixed) {
                port = freePort();
                tlsPort = options.tls() == null ? 0 : freePort();
            }
            String failure = launchAndAwait();
            if (failure == null) {
                portFixed = true;
                LIVE.add(this);
                return this;
            }
            boolean portClash = failure.contains("Address already in use") || failure.contains("bind");
            if (portFixed || !portClash || attempt >= 5) {
                throw new IllegalStateException(
                        "redis-server " + executable + " on port " + port + " did not start: " + failure);
            }
        }
    }

    /** Graceful {@code SHUTDOWN} (AOF is fsynced), then waits for the process to exit. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        try {
            Resp.call("127.0.0.1", port, 5_000, "SHUTDOWN");
        } catch (IOException expected) {
            // the server closes the connection without a reply when it shuts down
        }
        awaitExit(10);
    }

    /** SIGKILL: no shutdown work at all, like a crashed or OOM-killed Redis. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(10);
        }
    }

    /** SIGSTOP: the process freezes (a stalled replica or master) until {@link #resume()}. */
    public synchronized void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("not running: " + this);
        }
        try {
            int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + rc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Kills the process (if running) and deletes its working directory. */
    @Override
    public synchronized void close() {
        kill();
        LIVE.remove(this);
        deleteRecursively(dir);
    }

    private String launchAndAwait() {
        Path out = dir.resolve("redis.out");
        List<String> cmd = new ArrayList<>(List.of(
                executable.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--daemonize",
                "no",
                "--protected-mode",
                "no",
                "--logfile",
                "",
                "--appendonly",
                options.aof() ? "yes" : "no"));
        if (options.aof()) {
            cmd.addAll(List.of("--appendfsync", "always"));
        }
        if (options.tls() != null) {
            cmd.addAll(options.tls().serverArgs(tlsPort));
        }
        cmd.addAll(options.extraArgs());
        try {
            Files.deleteIfExists(out);
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .start();
        } catch (IOException e) {
            return "cannot execute: " + e.getMessage();
        }
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return "exited with " + process.exitValue() + ": " + tail(out);
            }
            if (Resp.ping("127.0.0.1", port, 1_000)) {
                return null;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        destroyQuietly();
        return "no PONG within 30 s: " + tail(out);
    }

    private void awaitExit(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(seconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void destroyQuietly() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir
        }
    }

    @Override
    public String toString() {
        return "RedisProcess[" + executable + " :" + port + (options.aof() ? " aof" : "") + "]";
    }
}
