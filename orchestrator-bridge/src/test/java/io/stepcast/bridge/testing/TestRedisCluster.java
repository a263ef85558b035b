package io.stepcast.bridge.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster for tests: 3 masters + 3 replicas of {@code redis-server} (≥ 7.0, for sharded
 * pub/sub) on loopback free ports, each a {@link RedisProcess} with its own directory and
 * {@code nodes.conf}, joined with {@code redis-cli --cluster create … --cluster-replicas 1}.
 *
 * <p>{@link #shared()} is one cluster per JVM (stopped at JVM exit), for tests that only publish and
 * subscribe. Tests that change the topology (reshard, failover, kill) start their own with
 * {@link #start()} and close it. {@code REDIS_CLUSTER_URI} (environment or system property,
 * {@code redis://host:port[,host:port…]}) points {@link #shared()} at an existing cluster instead;
 * topology tests still need local processes.
 *
 * <p>{@link #assumeAvailable()} skips a test through {@link MissingTool} (printed, reported on the
 * Maven console, a failure in strict mode) where redis-server ≥ 7 or redis-cli is missing. Methods are thread-safe (synchronized).
 */
public final class TestRedisCluster implements AutoCloseable {

    /** Environment variable / system property naming an existing cluster. */
    public static final String URI_SETTING = "REDIS_CLUSTER_URI";

    private static final Logger LOG = LoggerFactory.getLogger(TestRedisCluster.class);
    private static final int NODES = 6;
    private static TestRedisCluster shared;

    private final List<RedisProcess> nodes;
    private final String externalUri;

    private TestRedisCluster(List<RedisProcess> nodes, String externalUri) {
        this.nodes = nodes;
        this.externalUri = externalUri;
    }

    /**
     * Why a local cluster cannot be started here, or empty when it can: needs redis-server ≥ 7.0 and
     * redis-cli on PATH.
     */
    public static Optional<String> missingTools() {
        Optional<Path> server = RedisExecutables.onPath();
        if (server.isEmpty()) {
            return Optional.of("no redis-server on PATH (Redis Cluster tests need redis-server >= 7.0)");
        }
        int major = majorVersion(server.get());
        if (major < 7) {
            return Optional.of("redis-server " + server.get() + " is version " + major
                    + ".x; Redis Cluster tests need >= 7.0 (sharded pub/sub)");
        }
        if (!ClusterCommands.runs("redis-cli", "--version")) {
            return Optional.of("no redis-cli on PATH (needed to create the Redis Cluster)");
        }
        return Optional.empty();
    }

    /** Skips the calling test (printed on the console) unless a cluster is available. */
    public static void assumeAvailable() {
        if (setting() != null) {
            return;
        }
        Optional<String> missing = missingTools();
        MissingTool.assumePresent(
                missing.isEmpty(),
                "redis-server >= 7 and redis-cli (Redis Cluster)",
                () -> missing.orElse("") + "; or set " + URI_SETTING + " to an existing cluster");
    }

    /** Skips the calling test unless local cluster processes can be started (topology tests). */
    public static void assumeLocalProcesses() {
        Optional<String> missing = missingTools();
        MissingTool.assumePresent(
                missing.isEmpty(),
                "redis-server >= 7 and redis-cli (Redis Cluster topology)",
                () -> missing.orElse("") + " (topology tests start their own local cluster)");
    }

    /** The JVM-wide cluster ({@code REDIS_CLUSTER_URI}, else started locally on first call). */
    public static synchronized TestRedisCluster shared() {
        if (shared == null) {
            String uri = setting();
            if (uri != null) {
                LOG.info("Test Redis Cluster: {} ({} is set)", uri, URI_SETTING);
                shared = new TestRedisCluster(List.of(), uri);
            } else {
                shared = start();
                Runtime.getRuntime().addShutdownHook(new Thread(shared::stopAll, "stepcast-test-cluster-stop"));
                LOG.info("Test Redis Cluster: local, {}", shared.uri());
            }
        }
        return shared;
    }

    /** Starts a new local cluster of 3 masters + 3 replicas (the caller closes it). */
    public static TestRedisCluster start() {
        return start(null);
    }

    /**
     * Starts a new local cluster of 3 masters + 3 replicas of the Redis 6.2 binary bundled with
     * embedded-redis (no sharded pub/sub: the broadcast fallback), created with this machine's
     * redis-cli. The caller closes it.
     */
    public static TestRedisCluster startRedis62() {
        return start(RedisExecutables.embeddedBinary());
    }

    /**
     * Starts a new local cluster of 3 masters + 3 replicas with TLS on every link: clients
     * ({@link #tlsUri()}), the cluster bus ({@code tls-cluster yes}) and replication
     * ({@code tls-replication yes}), all with {@code tls}'s server certificate; nodes require client
     * certificates (redis-server's default). Each node keeps a plain loopback port for this fixture's
     * own set-up and health checks only. The caller closes it; skip first with {@link TestTls#assumeAvailable()}.
     */
    public static TestRedisCluster startTls(TestTls tls) {
        return startWith(() -> startNode(tls));
    }

    private static TestRedisCluster start(Path legacyExecutable) {
        return startWith(() -> legacyExecutable == null ? startNode() : startLegacyNode(legacyExecutable));
    }

    private static TestRedisCluster startWith(Supplier<RedisProcess> nodeStarter) {
        List<RedisProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < NODES; i++) {
                started.add(nodeStarter.get());
            }
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (RedisProcess p : started) {
                cmd.add("127.0.0.1:" + p.port());
            }
            cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            ClusterCommands.run(cmd, 60);
            TestRedisCluster cluster = new TestRedisCluster(started, null);
            cluster.awaitHealthy();
            cluster.awaitReplicas(NODES / 2);
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisProcess::close);
            throw e;
        }
    }

    /** A new empty cluster-enabled node, not yet part of any cluster (for "node added" tests). */
    public static RedisProcess startNode() {
        return startNode(null);
    }

    private static RedisProcess startNode(TestTls tls) {
        int bus = RedisProcess.freePort();
        RedisProcess.Options options = RedisProcess.Options.defaults();
        if (tls != null) {
            options = options.withTls(tls).withArgs("--tls-cluster", "yes", "--tls-replication", "yes");
        }
        return TestRedis.startThrowaway(options.withArgs(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                "2000",
                "--cluster-port",
                Integer.toString(bus),
                "--cluster-allow-replica-migration",
                "no"));
    }

    /** A Redis 6.2 cluster node: no {@code cluster-port}, so the bus is port + 10000 (both must be free). */
    private static RedisProcess startLegacyNode(Path executable) {
        for (int attempt = 0; ; attempt++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
            RedisProcess node = new RedisProcess(
                            RedisProcess.Options.defaults()
                                    .withExecutable(executable)
                                    .withArgs(
                                            "--cluster-enabled",
                                            "yes",
                                            "--cluster-config-file",
                                            "nodes.conf",
                                            "--cluster-node-timeout",
                                            "2000"),
                            executable)
                    .atPort(port);
            try {
                return node.start();
            } catch (IllegalStateException e) {
                node.close();
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /** Seed URI of every node: {@code redis://127.0.0.1:p1,127.0.0.1:p2,…}. */
    public synchronized String uri() {
        if (externalUri != null) {
            return externalUri;
        }
        StringBuilder sb = new StringBuilder("redis://");
        for (int i = 0; i < nodes.size(); i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("127.0.0.1:")
                    .append(nodes.get(i).port());
        }
        return sb.toString();
    }

    /** TLS seed URI of every node of a {@link #startTls TLS cluster}: {@code rediss://127.0.0.1:t1,…}. */
    public synchronized String tlsUri() {
        StringBuilder sb = new StringBuilder("rediss://");
        for (int i = 0; i < nodes.size(); i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("127.0.0.1:")
                    .append(nodes.get(i).tlsPort());
        }
        return sb.toString();
    }

    /** The local node processes (empty for an external cluster). */
    public synchronized List<RedisProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** Adds a started node to this cluster's bookkeeping (it is closed with the cluster). */
    public synchronized void adopt(RedisProcess node) {
        nodes.add(node);
    }

    /** {@code host:port} of a node that is running (an existing cluster: its first seed). */
    public synchronized String anyLiveNode() {
        if (externalUri != null) {
            return ClusterNodes.firstSeed(externalUri);
        }
        for (RedisProcess p : nodes) {
            if (p.isRunning()) {
                return "127.0.0.1:" + p.port();
            }
        }
        throw new IllegalStateException("no cluster node is running");
    }

    /**
     * {@code host:port} of every node: the local processes, or the connected nodes an existing
     * cluster's first seed lists (on that seed's host).
     */
    public List<String> nodeAddresses() {
        if (externalUri == null) {
            return nodes().stream().map(p -> "127.0.0.1:" + p.port()).toList();
        }
        String seed = anyLiveNode();
        String host = seed.substring(0, seed.lastIndexOf(':'));
        return ClusterNodes.read(seed).stream()
                .filter(n -> n.connected() && !n.failing())
                .map(n -> host + ":" + n.port())
                .toList();
    }

    /** The running node process on {@code port}. */
    public synchronized RedisProcess node(int port) {
        return nodes.stream()
                .filter(p -> p.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node on port " + port));
    }

    /** The port of the master currently serving {@code slot}, per {@code CLUSTER SHARDS}-free parsing of NODES. */
    public int masterOf(int slot) {
        for (ClusterNodes.Node n : ClusterNodes.read(anyLiveNode())) {
            if (n.master() && n.connected() && n.serves(slot)) {
                return n.port();
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** Waits until every running node sees {@code count} replicas, each attached to a master. */
    public void awaitReplicas(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (RedisProcess p :
                    nodes().stream().filter(RedisProcess::isRunning).toList()) {
                long replicas = ClusterNodes.read("127.0.0.1:" + p.port()).stream()
                        .filter(n -> "replica".equals(n.role()) && !n.failing())
                        .count();
                all &= replicas == count;
            }
            if (all) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("Redis Cluster replicas not attached within 60 s");
    }

    /** {@code redis-cli --cluster add-node <node> <live node>}: joins an empty node as a master without slots. */
    public void addNode(RedisProcess node) {
        ClusterCommands.run(
                List.of("redis-cli", "--cluster", "add-node", "127.0.0.1:" + node.port(), anyLiveNode()), 120);
        adopt(node);
    }

    /** {@code redis-cli --cluster add-node <node> <live node> --cluster-slave}: joins an empty node as a replica of {@code masterId}. */
    public void addReplica(RedisProcess node, String masterId) {
        ClusterCommands.run(
                List.of(
                        "redis-cli",
                        "--cluster",
                        "add-node",
                        "127.0.0.1:" + node.port(),
                        anyLiveNode(),
                        "--cluster-slave",
                        "--cluster-master-id",
                        masterId),
                120);
        adopt(node);
    }

    /** Waits until every running node reports {@code cluster_state:ok} and agrees on all 16384 slots. */
    public void awaitHealthy() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = health();
            if (last == null) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("Redis Cluster not healthy within 60 s: " + last);
    }

    /** Null when healthy, else what is wrong. */
    private String health() {
        List<RedisProcess> running =
                nodes().stream().filter(RedisProcess::isRunning).toList();
        String firstView = null;
        for (RedisProcess p : running) {
            try {
                String info = String.valueOf(Resp.call("127.0.0.1", p.port(), 2_000, "CLUSTER", "INFO"));
                if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:16384")) {
                    return "node " + p.port() + ": " + info.lines().limit(3).toList();
                }
                List<ClusterNodes.Node> seen = ClusterNodes.read("127.0.0.1:" + p.port());
                long healthy = seen.stream()
                        .filter(n -> !n.failing() && n.connected() && n.role() != null)
                        .count();
                if (healthy != running.size()) {
                    return "node " + p.port() + " sees " + healthy + " healthy nodes with a role, " + running.size()
                            + " are running";
                }
                String view = ClusterNodes.slotOwners(seen);
                if (firstView == null) {
                    firstView = view;
                } else if (!firstView.equals(view)) {
                    return "nodes disagree on slot owners: " + firstView + " vs " + view;
                }
            } catch (IOException e) {
                return "node " + p.port() + ": " + e.getMessage();
            }
        }
        return null;
    }

    /** Runs {@code redis-cli --cluster <args…>} against a live node, returns its output. */
    public String redisCli(String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster"));
        cmd.add(args[0]);
        cmd.add(anyLiveNode());
        cmd.addAll(List.of(args).subList(1, args.length));
        return ClusterCommands.run(cmd, 120);
    }

    /** Stops a locally started cluster; the shared one is stopped at JVM exit. */
    @Override
    public void close() {
        if (this == shared) {
            throw new IllegalStateException("the shared test cluster is stopped at JVM exit");
        }
        stopAll();
    }

    private synchronized void stopAll() {
        nodes.forEach(RedisProcess::close);
    }

    private static int majorVersion(Path exe) {
        String out = ClusterCommands.run(List.of(exe.toString(), "--version"), 10);
        int v = out.indexOf("v=");
        if (v < 0) {
            return 0;
        }
        String version = out.substring(v + 2).split("[ .]")[0];
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String setting() {
        String v = System.getProperty(URI_SETTING);
        if (v == null || v.isBlank()) {
            v = System.getenv(URI_SETTING);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
