package io.stepcast.deploy.loadtest.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Redis Cluster for one benchmark run: 3 masters + 3 replicas of {@code redis-server} on
 * free loopback ports, no persistence, joined with {@code redis-cli --cluster create
 * --cluster-replicas 1} (the same shape as the tests' cluster fixture and {@code up.sh --cluster}).
 */
public final class RedisClusterServer implements AutoCloseable {

    private static final int NODES = 6;

    private final List<ManagedProcess> processes;
    private final List<Integer> ports;

    private RedisClusterServer(List<ManagedProcess> processes, List<Integer> ports) {
        this.processes = processes;
        this.ports = ports;
    }

    /** Starts the nodes, creates the cluster and waits until every node is ok and every master has its replica. */
    public static RedisClusterServer start(String executable, Path dir) throws IOException, InterruptedException {
        List<ManagedProcess> started = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        RedisClusterServer cluster = new RedisClusterServer(started, ports);
        try {
            for (int i = 0; i < NODES; i++) {
                int port = ManagedProcess.freePort();
                int bus = ManagedProcess.freePort();
                Path data = dir.resolve("redis-cluster/" + port);
                Files.createDirectories(data);
                ManagedProcess p = ManagedProcess.start(
                        "redis-cluster-" + (i + 1),
                        RedisServer.commandLine(
                                executable,
                                port,
                                data,
                                List.of(
                                        "--cluster-enabled",
                                        "yes",
                                        "--cluster-config-file",
                                        "nodes.conf",
                                        "--cluster-node-timeout",
                                        "5000",
                                        "--cluster-port",
                                        Integer.toString(bus))),
                        Map.of(),
                        dir.resolve("logs/redis-cluster-" + (i + 1) + ".log"));
                started.add(p);
                ports.add(port);
                p.awaitPort(port, Duration.ofSeconds(20));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            run(create);
            cluster.awaitReady(Duration.ofSeconds(60));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            int replicasOnline = 0;
            for (int port : ports) {
                String info = run(List.of("redis-cli", "-p", Integer.toString(port), "cluster", "info"));
                ok &= info.contains("cluster_state:ok");
                String replication = run(List.of("redis-cli", "-p", Integer.toString(port), "info", "replication"));
                if (replication.contains("role:master")
                        && replication.contains("slave0:")
                        && replication.contains("state=online")) {
                    replicasOnline++;
                }
                last = port + ": " + info.lines().findFirst().orElse("");
            }
            if (ok && replicasOnline == NODES / 2) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("Redis Cluster not ready within " + timeout + " (" + last + ")");
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** Every node as a seed: {@code redis://127.0.0.1:p1,127.0.0.1:p2,…}. */
    public String uri() {
        StringBuilder sb = new StringBuilder("redis://");
        for (int i = 0; i < ports.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(i));
        }
        return sb.toString();
    }

    /** The node processes' pids (their CPU is Redis's, not foreign). */
    public List<Long> pids() {
        return processes.stream().map(ManagedProcess::pid).toList();
    }

    @Override
    public void close() {
        processes.forEach(ManagedProcess::close);
    }
}
