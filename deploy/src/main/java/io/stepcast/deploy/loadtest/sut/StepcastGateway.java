package io.stepcast.deploy.loadtest.sut;

import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.deploy.loadtest.client.StepcastWire;
import io.stepcast.deploy.loadtest.client.Wire;
import io.stepcast.deploy.loadtest.proc.ManagedProcess;
import io.stepcast.deploy.loadtest.publish.BridgeSource;
import io.stepcast.deploy.loadtest.publish.EventSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Stepcast gateway's runnable jar ({@code gateway/target/gateway-*.jar}) on the run's Redis,
 * configured only by command-line properties (plus {@code extraArgs}, e.g. auth off); optionally
 * with a JFR recording into the run directory.
 */
public final class StepcastGateway implements SystemUnderTest {

    private final Path jar;
    private final List<String> jvmOpts;
    private final Map<String, String> env;
    private final List<String> extraArgs;
    private final boolean jfr;
    private final boolean auth;
    /** HS256 secret of this run's client tokens (random; the load generator mints the tokens). */
    private final String secret;

    /** @param env extra environment of the gateway process (e.g. {@code MALLOC_ARENA_MAX}, as the image sets it) */
    public StepcastGateway(
            Path jar,
            List<String> jvmOpts,
            Map<String, String> env,
            List<String> extraArgs,
            boolean jfr,
            boolean auth) {
        this(jar, jvmOpts, env, extraArgs, jfr, auth, UUID.randomUUID() + "-" + UUID.randomUUID());
    }

    private StepcastGateway(
            Path jar,
            List<String> jvmOpts,
            Map<String, String> env,
            List<String> extraArgs,
            boolean jfr,
            boolean auth,
            String secret) {
        this.env = env;
        this.secret = secret;
        this.auth = auth;
        this.jar = jar;
        this.jvmOpts = jvmOpts;
        this.extraArgs = extraArgs;
        this.jfr = jfr;
    }

    /** The same gateway started with these extra arguments too (e.g. {@code --stepcast.ws.compression=true}). */
    public StepcastGateway with(String... args) {
        List<String> more = new ArrayList<>(extraArgs);
        more.addAll(List.of(args));
        return new StepcastGateway(jar, jvmOpts, env, more, jfr, auth, secret);
    }

    /** The same gateway (flags, arguments, token secret) started from another jar. */
    public StepcastGateway withJar(Path otherJar) {
        return new StepcastGateway(otherJar, jvmOpts, env, extraArgs, jfr, auth, secret);
    }

    @Override
    public String name() {
        return "stepcast";
    }

    @Override
    public Wire wire() {
        if (!auth) {
            return new StepcastWire(null);
        }
        ClientTokens tokens = ClientTokens.withSecret(secret);
        return new StepcastWire(plan -> tokens.issue("loadtest", List.of(plan), Duration.ofHours(6), false));
    }

    @Override
    public EventSource events(String redisUri) {
        return new BridgeSource(redisUri);
    }

    /** A client token for the plan, or null when auth is off. */
    public String token(String plan) {
        return auth
                ? ClientTokens.withSecret(secret).issue("loadtest", List.of(plan), Duration.ofHours(6), false)
                : null;
    }

    /** {@code -jar <jar>} and the gateway's settings (port, Redis, auth, extra args): what follows the JVM flags. */
    public List<String> arguments(int port, String redisUri) {
        List<String> cmd = new ArrayList<>(List.of(
                "-jar",
                jar.toString(),
                "--micronaut.server.host=127.0.0.1",
                "--micronaut.server.port=" + port,
                "--stepcast.redis.uri=" + redisUri,
                "--stepcast.ws.max-connections=50000",
                "--stepcast.management.metrics-public=true",
                // every simulated client shares one address and one token subject: no per-client limits
                "--stepcast.limits.connections-per-subject=0",
                "--stepcast.limits.connections-per-address=0"));
        cmd.add(auth ? "--stepcast.auth.hs256-secret=" + secret : "--stepcast.auth.enabled=false");
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** The runnable jar this system runs. */
    public Path jar() {
        return jar;
    }

    @Override
    public Running start(String redisUri, Path runDir, String label) throws Exception {
        int port = ManagedProcess.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        if (jfr) {
            cmd.add("-XX:StartFlightRecording=filename=" + runDir.resolve("jfr/stepcast-" + label + ".jfr")
                    + ",settings=profile,dumponexit=true");
        }
        cmd.addAll(arguments(port, redisUri));
        Files.createDirectories(runDir.resolve("jfr"));
        ManagedProcess p =
                ManagedProcess.start("stepcast gateway", cmd, env, runDir.resolve("logs/stepcast-" + label + ".log"));
        try {
            p.awaitHttp200("http://127.0.0.1:" + port + "/health/readiness", Duration.ofSeconds(90));
        } catch (Exception e) {
            p.close();
            throw e;
        }
        return new Running(p, port);
    }
}
