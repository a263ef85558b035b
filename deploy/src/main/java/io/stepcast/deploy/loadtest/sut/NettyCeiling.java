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

/** {@link RawBroadcastServer} in its own JVM (same JVM options as the gateway), fed by the bridge. */
public final class NettyCeiling implements SystemUnderTest {

    private final List<String> jvmOpts;
    private final boolean epoll;

    /** @param epoll native epoll transport instead of NIO (the gateway's) */
    public NettyCeiling(List<String> jvmOpts, boolean epoll) {
        this.jvmOpts = jvmOpts;
        this.epoll = epoll;
    }

    @Override
    public String name() {
        return epoll ? "netty-epoll" : "netty";
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
                "--transport",
                epoll ? "epoll" : "nio");
    }

    @Override
    public Running start(String redisUri, Path runDir, String label) throws Exception {
        int port = ManagedProcess.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        cmd.addAll(arguments(port, redisUri));
        ManagedProcess p = ManagedProcess.start(
                "raw netty ceiling", cmd, Map.of(), runDir.resolve("logs/" + name() + "-" + label + ".log"));
        try {
            p.awaitLogLine("ready on", Duration.ofSeconds(60));
        } catch (Exception e) {
            p.close();
            throw e;
        }
        return new Running(p, port);
    }
}
