package io.stepcast.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real Stepcast cluster on loopback, started and driven through the very scripts users run:
 * {@code deploy/local/up.sh}, {@code ctl.sh} and {@code down.sh}. Every port is a free random one and
 * the run directory is private to the test ({@code deploy/target/system-tests/<name>-<time>}), so
 * several test JVMs can run clusters at once.
 *
 * <p>Not thread-safe: drive one cluster from one test thread.
 */
final class LocalCluster implements AutoCloseable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss-SSS");

    private final Path repo;
    private final Path runDir;
    private final int gateways;
    private final int lbPort;
    private final int redisPort;
    private final boolean redisCluster;
    private final List<Integer> gatewayPorts;
    private final Map<String, String> env;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalCluster(String name, int gateways, boolean aof, boolean redisCluster, Map<String, String> gatewayEnv) {
        this.repo = SystemTools.repoRoot();
        this.runDir = repo.resolve("deploy/target/system-tests/" + name + "-" + STAMP.format(LocalDateTime.now()));
        this.gateways = gateways;
        List<Integer> ports = freePorts(gateways + 2);
        this.lbPort = ports.get(0);
        this.redisCluster = redisCluster;
        this.redisPort = redisCluster ? clusterBasePort() : ports.get(1);
        this.gatewayPorts = List.copyOf(ports.subList(2, ports.size()));
        this.env = new LinkedHashMap<>(gatewayEnv);
        env.put("STEPCAST_LOCAL_RUN_DIR", runDir.toString());
        env.put("STEPCAST_LOCAL_GATEWAYS", Integer.toString(gateways));
        env.put("STEPCAST_LOCAL_LB_PORT", Integer.toString(lbPort));
        env.put("STEPCAST_LOCAL_REDIS_PORT", Integer.toString(redisPort));
        env.put(
                "STEPCAST_LOCAL_GATEWAY_PORTS",
                String.join(",", gatewayPorts.stream().map(String::valueOf).toList()));
        env.put("STEPCAST_LOCAL_REDIS_AOF", aof ? "yes" : "no");
        env.put("STEPCAST_LOCAL_REDIS_CLUSTER", redisCluster ? "yes" : "no");
        env.put("STEPCAST_LOCAL_STOP_TIMEOUT", "30");
        env.put("STEPCAST_GATEWAY_JAR", SystemTools.gatewayJar().toString());
        env.putIfAbsent(
                "STEPCAST_LOCAL_GATEWAY_JAVA_OPTS", "-Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC");
        // The gateways run on the test's own JDK (e.g. Temurin 25 when the build runs on it).
        env.putIfAbsent(
                "STEPCAST_LOCAL_JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Whatever happens to the test JVM, the processes it started do not outlive it.
        this.shutdownHook = new Thread(this::downQuietly, "local-cluster-down");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a cluster with {@code deploy/local/up.sh} and waits until it is ready.
     *
     * @param gatewayEnv gateway configuration as environment variables (e.g. {@code STEPCAST_WS_DRAIN_WINDOW})
     */
    static LocalCluster start(String name, int gateways, boolean aof, Map<String, String> gatewayEnv) {
        return start(name, gateways, aof, false, gatewayEnv);
    }

    /**
     * As {@link #start(String, int, boolean, Map)}; with {@code redisCluster} a Redis Cluster of 3
     * masters + 3 replicas ({@code up.sh --cluster}) instead of one redis-server.
     */
    static LocalCluster start(
            String name, int gateways, boolean aof, boolean redisCluster, Map<String, String> gatewayEnv) {
        LocalCluster c = new LocalCluster(name, gateways, aof, redisCluster, gatewayEnv);
        try {
            c.script("up.sh");
            // From now on the cluster's own record (run/cluster.env) decides; ctlWithEnv overrides.
            c.env.remove("STEPCAST_LOCAL_REDIS_AOF");
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    URI wsUri() {
        return URI.create("ws://127.0.0.1:" + lbPort + "/ws");
    }

    URI lbUri(String path) {
        return URI.create("http://127.0.0.1:" + lbPort + path);
    }

    /** The Redis URI (a cluster: every node as a seed). */
    String redisUri() {
        if (!redisCluster) {
            return "redis://127.0.0.1:" + redisPort;
        }
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add("127.0.0.1:" + (redisPort + i));
        }
        return "redis://" + String.join(",", nodes);
    }

    boolean redisCluster() {
        return redisCluster;
    }

    /** Port of Redis Cluster node n (1..6). */
    int redisNodePort(int n) {
        return redisPort + n - 1;
    }

    /** {@code ctl.sh kill redis-N}: SIGKILL of one cluster node. */
    void killRedisNode(int n) {
        ctl("kill", "redis-" + n);
    }

    /** {@code ctl.sh start redis-N}: the node rejoins through its nodes.conf. */
    void startRedisNode(int n) {
        ctl("start", "redis-" + n);
    }

    int gateways() {
        return gateways;
    }

    Path runDir() {
        return runDir;
    }

    /** HTTP status of GET path on gateway n (1-based) directly, bypassing nginx; 0 when unreachable. */
    int gatewayStatus(int n, String path) {
        return httpStatus(URI.create("http://127.0.0.1:" + gatewayPorts.get(n - 1) + path));
    }

    /** The body of GET path on gateway n directly, or "" when unreachable. */
    String gatewayBody(int n, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + gatewayPorts.get(n - 1) + path)
                    .toURL()
                    .openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            try (var in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
                return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    static int httpStatus(URI uri) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return 0;
        }
    }

    void killGateway(int n) {
        ctl("kill", "gateway", Integer.toString(n));
    }

    void stopGateway(int n) {
        ctl("stop", "gateway", Integer.toString(n));
    }

    void startGateway(int n) {
        ctl("start", "gateway", Integer.toString(n));
    }

    void rollingRestart() {
        ctl("rolling-restart");
    }

    void stopRedis() {
        ctl("stop", "redis");
    }

    void startRedis() {
        ctl("start", "redis");
    }

    /** {@link #ctl} with one more environment variable for this call only. */
    void ctlWithEnv(String name, String value, String... args) {
        String old = env.put(name, value);
        try {
            ctl(args);
        } finally {
            if (old == null) {
                env.remove(name);
            } else {
                env.put(name, old);
            }
        }
    }

    /** Runs {@code deploy/local/ctl.sh args...} against this cluster; fails on a non-zero exit. */
    void ctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ctl.sh"));
        cmd.addAll(List.of(args));
        script(cmd.toArray(String[]::new));
    }

    private void script(String... scriptAndArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(repo.resolve("deploy/local").resolve(scriptAndArgs[0]).toString());
        cmd.addAll(List.of(scriptAndArgs).subList(1, scriptAndArgs.length));
        try {
            Files.createDirectories(runDir);
            Path out = runDir.resolve("scripts.log");
            Files.writeString(
                    out,
                    "\n$ " + String.join(" ", cmd) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // a system test kills and restarts Redis nodes: always its own, never an existing cluster
            pb.environment().remove("REDIS_CLUSTER_URI");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", scriptAndArgs) + " did not finish in 240 s; see " + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", scriptAndArgs) + " exited " + p.exitValue()
                        + "; its output:\n" + tail(out, 40));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** A base port whose next 6 ports and their cluster bus ports (+10000) are all free. */
    private static int clusterBasePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            boolean free = true;
            for (int i = 0; i < 6 && free; i++) {
                free = isFree(base + i) && isFree(base + i + 10_000);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of ports for a Redis Cluster");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Integer> freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                s.setReuseAddress(true);
                sockets.add(s);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private void downQuietly() {
        try {
            script("down.sh");
        } catch (RuntimeException e) {
            System.err.println("down.sh failed for " + runDir + ": " + e.getMessage());
        }
    }

    /** Stops every process of the cluster with {@code deploy/local/down.sh}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        downQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs anyway
        }
    }
}
