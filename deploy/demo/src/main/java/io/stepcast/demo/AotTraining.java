package io.stepcast.demo;

import io.stepcast.bridge.token.ClientTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Trains the JDK 25 AOT cache of a production gateway jar: starts an embedded Redis and the demo's
 * simulated orchestrator, runs the jar as its own process with {@code -XX:AOTCacheOutput=<cache>}
 * (client auth on, as in production), drives {@link AotWorkload} over every transport for a while,
 * then stops the gateway with SIGTERM; the JVM writes the cache while it exits.
 *
 * <p>The cache is only valid for the same JDK build, the same jar (path, size and time stamp) and
 * compatible JVM flags: train where the gateway runs (the Dockerfile's build stage does), and retrain
 * after every rebuild of the jar. A gateway started without the cache, or with a stale one, works
 * exactly the same, only slower to start.
 *
 * <pre>
 * java -cp demo/target/demo-&lt;v&gt;.jar io.stepcast.demo.AotTraining --java /path/to/jdk25/bin/java \
 *      --jar gateway/target/gateway-&lt;v&gt;.jar [--cache gateway/target/gateway-&lt;v&gt;.aot] [--seconds 20] \
 *      [--jvm-opts "-XX:+UseSerialGC ..."]
 * </pre>
 * ({@code deploy/aot/train.sh} does all of it.) Exit code 0 when the cache was written.
 */
public final class AotTraining {

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        TrainingOptions o;
        try {
            o = TrainingOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("aot-training: " + e.getMessage());
            System.err.println(TrainingOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(train(o) ? 0 : 1);
    }

    /** Runs one training; true when the cache file exists afterwards. */
    static boolean train(TrainingOptions o) throws Exception {
        Files.deleteIfExists(o.cache());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String hexSecret = HexFormat.of().formatHex(secret);
        int port = freePort();
        try (EmbeddedRedis redis = EmbeddedRedis.start(freePort());
                DemoSimulation simulation = DemoSimulation.start(redis.uri(), 3)) {
            List<String> cmd = new ArrayList<>();
            cmd.add(o.java().toString());
            cmd.addAll(o.jvmOpts());
            cmd.add("-XX:AOTCacheOutput=" + o.cache().toAbsolutePath());
            cmd.addAll(List.of(
                    "-jar",
                    o.jar().toAbsolutePath().toString(),
                    "--micronaut.server.host=127.0.0.1",
                    "--micronaut.server.port=" + port,
                    "--stepcast.redis.uri=" + redis.uri(),
                    "--stepcast.auth.hs256-secret=" + hexSecret));
            Path log = o.cache().resolveSibling(o.cache().getFileName() + ".training.log");
            System.out.println("aot-training: " + String.join(" ", cmd).replace(hexSecret, "<secret>"));
            System.out.println("aot-training: gateway log in " + log);
            Process gateway = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                String base = "http://127.0.0.1:" + port;
                awaitReady(gateway, base + "/health/readiness", Duration.ofSeconds(120));
                String token = ClientTokens.withSecret(hexSecret)
                        .issue("aot-training", List.of("demo-*"), Duration.ofHours(1), true);
                AotWorkload workload = new AotWorkload(base, token);
                long end = System.nanoTime() + o.duration().toNanos();
                int rounds = 0;
                while (System.nanoTime() < end || rounds < 2) {
                    workload.round(simulation
                            .planIds()
                            .get(rounds % simulation.planIds().size()));
                    rounds++;
                }
                System.out.printf(
                        "aot-training: %d rounds, %d calls (%d failed), %d WebSocket frames, %d events "
                                + "published%n",
                        rounds,
                        workload.calls(),
                        workload.failures(),
                        workload.webSocketFrames(),
                        simulation.published());
            } finally {
                gateway.destroy(); // SIGTERM: the gateway drains and exits, the JVM then writes the cache
                if (!gateway.waitFor(5, TimeUnit.MINUTES)) {
                    gateway.destroyForcibly();
                }
            }
            System.out.println("aot-training: gateway exited with " + gateway.exitValue());
        }
        boolean written = Files.isRegularFile(o.cache()) && Files.size(o.cache()) > 0;
        System.out.println(
                written
                        ? "aot-training: wrote " + o.cache() + " (" + (Files.size(o.cache()) >> 20) + " MB)"
                        : "aot-training: no cache written (see the gateway log)");
        return written;
    }

    private static void awaitReady(Process gateway, String url, Duration timeout) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException(
                        "the gateway exited with " + gateway.exitValue() + " before it was ready");
            }
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(url))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the gateway was not ready within " + timeout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The training's command line. */
    record TrainingOptions(Path java, Path jar, Path cache, Duration duration, List<String> jvmOpts) {

        static final String USAGE = "usage: AotTraining --java <jdk25>/bin/java --jar <gateway jar> "
                + "[--cache <jar without .jar>.aot] [--seconds 20] [--jvm-opts \"...\"]";

        static TrainingOptions parse(String[] args) {
            Path java = null;
            Path jar = null;
            Path cache = null;
            int seconds = 20;
            List<String> opts = List.of();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--java" -> java = Path.of(v);
                    case "--jar" -> jar = Path.of(v);
                    case "--cache" -> cache = Path.of(v);
                    case "--seconds" -> seconds = Integer.parseInt(v);
                    case "--jvm-opts" ->
                        opts = Arrays.stream(v.trim().split("\\s+"))
                                .filter(s -> !s.isEmpty())
                                .toList();
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (java == null || jar == null) {
                throw new IllegalArgumentException("--java and --jar are required");
            }
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no gateway jar at " + jar);
            }
            return new TrainingOptions(
                    java, jar, cache != null ? cache : cacheNextTo(jar), Duration.ofSeconds(seconds), opts);
        }

        /** {@code gateway-0.1.0.jar} → {@code gateway-0.1.0.aot} in the same directory. */
        static Path cacheNextTo(Path jar) {
            String name = jar.getFileName().toString();
            return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ".aot");
        }
    }
}
