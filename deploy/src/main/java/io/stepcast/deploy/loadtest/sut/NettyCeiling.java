package io.stepcast.deploy.loadtest.sut;

import io.stepcast.deploy.loadtest.ceiling.RawBroadcastServer;
import io.stepcast.deploy.loadtest.client.RawWire;
import io.stepcast.deploy.loadtest.client.Wire;
import io.stepcast.deploy.loadtest.proc.ManagedProcess;
import io.stepcast.deploy.loadtest.publish.BridgeSource;
import io.stepcast.deploy.loadtest.publish.EventSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link RawBroadcastServer} in its own JVM (same JVM options as the gateway), fed by the bridge:
 * {@code netty} is the ceiling (one pre-encoded frame per event shared by all channels, epoll,
 * batched flushes), {@code netty-plain} the plainer reference (per-channel encoding, NIO).
 */
public final class NettyCeiling implements SystemUnderTest {

    private final List<String> jvmOpts;
    private final Map<String, String> env;
    private final boolean plain;

    /**
     * @param env   extra environment of the server process (e.g. {@code MALLOC_ARENA_MAX})
     * @param plain the plainer reference variant instead of the ceiling
     */
    public NettyCeiling(List<String> jvmOpts, Map<String, String> env, boolean plain) {
        this.jvmOpts = jvmOpts;
        this.env = env;
        this.plain = plain;
    }

    @Override
    public String name() {
        return plain ? "netty-plain" : "netty";
    }

    @Override
    public Wire wire() {
        return new RawWire();
    }

    @Override
    public EventSource events(String redisUri) {
        return new BridgeSource(redisUri);
    }

    /** The class path, main class and server options: what follows the JVM flags. */
    public List<String> arguments(int port, String redisUri) {
        return List.of(
                "-cp",
                System.getProperty("java.class.path"),
                RawBroadcastServer.class.getName(),
                "--port",
                Integer.toString(port),
                "--redis",
                redisUri,
                "--mode",
                plain ? "plain" : "shared");
    }

    @Override
    public Running start(String redisUri, Path runDir, String label) throws Exception {
        int port = ManagedProcess.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        cmd.addAll(arguments(port, redisUri));
        ManagedProcess p = ManagedProcess.start(
                "raw netty ceiling", cmd, env, runDir.resolve("logs/" + name() + "-" + label + ".log"));
        try {
            p.awaitLogLine("ready on", Duration.ofSeconds(60));
        } catch (Exception e) {
            p.close();
            throw e;
        }
        return new Running(p, port);
    }
}
