package io.stepcast.deploy.loadtest.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A private redis-server on a free loopback port, no persistence, for one benchmark run. */
public final class RedisServer implements AutoCloseable {

    private final ManagedProcess process;
    private final int port;

    private RedisServer(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start(String executable, Path dir) throws IOException, InterruptedException {
        int port = ManagedProcess.freePort();
        Path data = dir.resolve("redis");
        Files.createDirectories(data);
        ManagedProcess p = ManagedProcess.start(
                "redis-server",
                commandLine(executable, port, data, List.of()),
                Map.of(),
                dir.resolve("logs/redis.log"));
        p.awaitPort(port, Duration.ofSeconds(20));
        return new RedisServer(p, port);
    }

    /**
     * The command line of a benchmark's redis-server: {@code port} on loopback, no persistence (no RDB,
     * no AOF), data in {@code data}, 1,000 clients at most, then {@code extra} options.
     */
    static List<String> commandLine(String executable, int port, Path data, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of(
                executable,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                data.toString(),
                "--maxclients",
                "1000"));
        cmd.addAll(extra);
        return cmd;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
