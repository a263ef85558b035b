package io.stepcast.deploy.loadtest.sut;

import io.stepcast.deploy.loadtest.client.Wire;
import io.stepcast.deploy.loadtest.proc.ManagedProcess;
import io.stepcast.deploy.loadtest.publish.EventSource;
import java.nio.file.Path;

/**
 * One system the benchmark compares, started fresh as its own process for each scenario, on the
 * run's Redis and loopback.
 */
public interface SystemUnderTest {

    /** {@code stepcast}, {@code socketio} or {@code netty}. */
    String name();

    /** How the load generator's clients speak to it. */
    Wire wire();

    /** Where its events enter Redis. */
    EventSource events(String redisUri);

    /** Starts the server and waits until it accepts clients. */
    Running start(String redisUri, Path runDir, String label) throws Exception;

    /** A started server: its process (CPU and RSS are read from its pid tree) and port. */
    record Running(ManagedProcess process, int port) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }
}
