package io.stepcast.deploy.loadtest.sut;

import io.stepcast.deploy.loadtest.client.SocketIoWire;
import io.stepcast.deploy.loadtest.client.Wire;
import io.stepcast.deploy.loadtest.proc.ManagedProcess;
import io.stepcast.deploy.loadtest.publish.EmitterSource;
import io.stepcast.deploy.loadtest.publish.EventSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Socket.IO 4.8 with {@code @socket.io/redis-adapter}: {@code deploy/loadtest/socketio/server.js}
 * under node, as a cluster of {@code workers} processes sharing the port (WebSocket transport only,
 * so no sticky sessions are needed), fed by the emitter's wire format.
 */
public final class SocketIoPeer implements SystemUnderTest {

    private final Path script;
    private final String node;
    private final int workers;

    public SocketIoPeer(Path script, String node, int workers) {
        this.script = script;
        this.node = node;
        this.workers = workers;
    }

    @Override
    public String name() {
        return "socketio";
    }

    @Override
    public Wire wire() {
        return new SocketIoWire();
    }

    @Override
    public EventSource events(String redisUri) {
        return new EmitterSource(redisUri);
    }

    @Override
    public Running start(String redisUri, Path runDir, String label) throws Exception {
        int port = ManagedProcess.freePort();
        ManagedProcess p = ManagedProcess.start(
                "socket.io",
                List.of(
                        node,
                        script.toString(),
                        "--port",
                        Integer.toString(port),
                        "--redis",
                        redisUri,
                        "--workers",
                        Integer.toString(workers)),
                Map.of(),
                runDir.resolve("logs/socketio-" + label + ".log"));
        try {
            p.awaitLogLine("socket.io ready", Duration.ofSeconds(60));
        } catch (Exception e) {
            p.close();
            throw e;
        }
        return new Running(p, port);
    }
}
