package io.stepcast.deploy;

import static io.stepcast.deploy.Manifests.at;
import static io.stepcast.deploy.Manifests.list;
import static io.stepcast.deploy.Manifests.map;
import static io.stepcast.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.testing.MissingTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operational promises of the manifests hold against the gateway: load balancers upgrade
 * WebSockets without stickiness and with long timeouts, every platform's shutdown grace outlasts the
 * gateway's drain, the autoscaler's metric is one the gateway exports, images run as non-root with
 * a health check and container JVM flags, and Compose builds what this repository contains.
 */
class ManifestOperationsDriftTest {

    private static GatewayFacts gateway;
    private static Path deploy;

    @BeforeAll
    static void load() {
        gateway = GatewayFacts.load();
        deploy = Manifests.deployDir();
    }

    @Test
    void nginxConfigsUpgradeWebSocketsWithoutStickinessWithLongTimeoutsAndPassiveHealthChecks() throws Exception {
        for (Path conf : List.of(renderLocalNginxConf(), deploy.resolve("compose/nginx.conf"))) {
            String c = Manifests.nginxNoComments(Manifests.text(conf));
            String ws = Manifests.nginxBlock(c, "location = /ws");
            assertFalse(ws.isEmpty(), conf + " has a /ws location");
            assertTrue(c.contains("proxy_set_header Upgrade $http_upgrade;"), conf + " forwards Upgrade");
            assertTrue(
                    c.contains("proxy_set_header Connection $connection_upgrade;"),
                    conf + " forwards Connection: upgrade");
            assertTrue(c.contains("proxy_http_version 1.1;"), conf + " speaks HTTP/1.1 upstream");
            assertTrue(seconds(ws, "proxy_read_timeout") >= 3600, conf + ": /ws read timeout >= 1 h");
            assertTrue(
                    seconds(Manifests.nginxBlock(c, "location /api/"), "proxy_read_timeout") >= 3600,
                    conf + ": SSE/long-poll read timeout >= 1 h");
            assertTrue(ws.contains("proxy_pass http://stepcast_ws;"), conf + ": /ws uses the WebSocket upstream");
            String upstream = Manifests.nginxBlock(c, "upstream stepcast_gateways");
            String wsUpstream = Manifests.nginxBlock(c, "upstream stepcast_ws");
            for (String u : List.of(upstream, wsUpstream)) {
                assertFalse(u.matches("(?s).*\\b(ip_hash|hash|sticky)\\b.*"), conf + ": no sticky sessions");
                assertTrue(u.contains("least_conn;"), conf + ": least_conn spreads long-lived connections");
            }
            assertTrue(
                    upstream.contains("max_fails=1") && upstream.contains("fail_timeout="),
                    conf + ": passive health checks");
            // nginx counts a WebSocket's success only when it closes: failure marking would lock a
            // restarted gateway out for long-lived connections (see the template's comment).
            assertTrue(
                    wsUpstream.contains("max_fails=0") && !wsUpstream.matches("(?s).*max_fails=[1-9].*"),
                    conf + ": no failure marking for WebSocket upgrades");
            assertTrue(c.contains("proxy_next_upstream error timeout"), conf + ": retries on another instance");
        }
    }

    /**
     * deploy/local's nginx.conf exactly as up.sh generates it (same bash functions), checked by
     * {@code nginx -t} when nginx is installed.
     */
    private static Path renderLocalNginxConf() throws Exception {
        Path run = Files.createTempDirectory("stepcast-nginx-render");
        ProcessBuilder pb = new ProcessBuilder(
                        "bash",
                        "-c",
                        "source deploy/local/lib.sh && source deploy/local/components.sh && resolve_settings && render_nginx_conf")
                .directory(SystemTools.repoRoot().toFile())
                .redirectErrorStream(true);
        pb.environment().put("STEPCAST_LOCAL_RUN_DIR", run.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "rendering deploy/local's nginx.conf: " + out);
        Path conf = run.resolve("nginx/nginx.conf");
        var nginx = SystemTools.onPath("nginx")
                .or(() -> Files.isExecutable(Path.of("/usr/sbin/nginx"))
                        ? Optional.of(Path.of("/usr/sbin/nginx"))
                        : Optional.empty());
        if (nginx.isPresent()) {
            Process t = new ProcessBuilder(
                            nginx.get().toString(),
                            "-t",
                            "-q",
                            "-p",
                            run.resolve("nginx").toString(),
                            "-c",
                            conf.toString(),
                            "-e",
                            run.resolve("logs/nginx-error.log").toString())
                    .redirectErrorStream(true)
                    .start();
            String tout = new String(t.getInputStream().readAllBytes());
            assertEquals(0, t.waitFor(), "nginx -t rejects the generated config: " + tout);
        } else {
            MissingTool.checkLeftOut(
                    "nginx", "nginx -t of deploy/local's generated nginx.conf (apt-get install nginx)");
        }
        return conf;
    }

    private static long seconds(String block, String directive) {
        Matcher m = Pattern.compile(directive + "\\s+(\\d+)(s|m|h)?;").matcher(block);
        assertTrue(m.find(), "no " + directive + " in " + block);
        long v = Long.parseLong(m.group(1));
        return "h".equals(m.group(2)) ? v * 3600 : "m".equals(m.group(2)) ? v * 60 : v;
    }

    @Test
    void kubernetesAndCloudRunKeepConnectionsLongAndSessionsUnpinned() {
        Map<String, Object> ingress = Manifests.yaml(deploy.resolve("k8s/ingress.yaml"));
        Map<String, Object> annotations = map(ingress, "metadata", "annotations");
        assertTrue(Long.parseLong(String.valueOf(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
                >= 3600);
        assertTrue(Long.parseLong(String.valueOf(annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout")))
                >= 3600);
        for (String sticky : List.of(
                "nginx.ingress.kubernetes.io/affinity",
                "nginx.ingress.kubernetes.io/upstream-hash-by",
                "nginx.ingress.kubernetes.io/session-cookie-name")) {
            assertFalse(annotations.containsKey(sticky), "no sticky sessions: " + sticky);
        }
        assertEquals("None", str(Manifests.yaml(deploy.resolve("k8s/service.yaml")), "spec", "sessionAffinity"));

        Map<String, Object> run = Manifests.yaml(deploy.resolve("cloudrun/service.yaml"));
        assertEquals("3600", str(run, "spec", "template", "spec", "timeoutSeconds"), "Cloud Run's longest request");
        Map<String, Object> runAnnotations = map(run, "spec", "template", "metadata", "annotations");
        assertEquals("false", String.valueOf(runAnnotations.get("run.googleapis.com/sessionAffinity")));
        // min instances: 0 (scale to zero), see ImageStartupDriftTest
        assertTrue(
                Integer.parseInt(str(run, "spec", "template", "spec", "containerConcurrency")) >= 100,
                "one instance holds many connections");
    }

    @Test
    void everyPlatformsShutdownGraceOutlastsTheGatewaysDrain() {
        // k8s: SIGKILL after terminationGracePeriodSeconds, counted from the start of preStop.
        Map<String, Object> deployment = Manifests.yaml(deploy.resolve("k8s/deployment.yaml"));
        Object pod = at(deployment, "spec", "template", "spec");
        Object container = at(pod, "containers", 0);
        List<Object> preStop = list(container, "lifecycle", "preStop", "exec", "command");
        long preStopSeconds = preStop.size() == 2 && "sleep".equals(preStop.get(0))
                ? Long.parseLong(String.valueOf(preStop.get(1)))
                : 0;
        Map<String, String> k8sEnv =
                ManifestConfigDriftTest.gatewayEnvironments().get("k8s/configmap.yaml");
        Duration k8sShutdown = shutdown("k8s", k8sEnv);
        long grace = Long.parseLong(str(pod, "terminationGracePeriodSeconds"));
        assertTrue(
                grace > preStopSeconds + k8sShutdown.toSeconds(),
                "k8s terminationGracePeriodSeconds " + grace + " must exceed the preStop sleep " + preStopSeconds
                        + " s + the gateway's shutdown " + k8sShutdown);

        Map<String, Object> compose = Manifests.yaml(deploy.resolve("compose.yaml"));
        Duration composeGrace = GatewayFacts.duration(str(compose, "services", "gateway", "stop_grace_period"));
        Duration composeShutdown = shutdown("compose", Manifests.composeEnv(at(compose, "services", "gateway")));
        assertTrue(
                composeGrace.compareTo(composeShutdown) > 0,
                "compose stop_grace_period " + composeGrace + " vs " + composeShutdown);

        // Cloud Run sends SIGKILL 10 s after SIGTERM.
        Duration runShutdown =
                shutdown("cloudrun", Manifests.containerEnv(ManifestConfigDriftTest.cloudRunContainer()));
        assertTrue(
                runShutdown.compareTo(Duration.ofSeconds(10)) < 0,
                "Cloud Run's shutdown " + runShutdown + " must fit in 10 s");

        Matcher stop = Pattern.compile("STOP_TIMEOUT=\"\\$\\{STEPCAST_LOCAL_STOP_TIMEOUT:-(\\d+)}\"")
                .matcher(Manifests.text(deploy.resolve("local/lib.sh")));
        assertTrue(stop.find(), "lib.sh has a stop timeout");
        Duration localShutdown = shutdown("local", Map.of());
        assertTrue(
                Long.parseLong(stop.group(1)) > localShutdown.toSeconds(),
                "deploy/local waits for a draining gateway (" + stop.group(1) + " s) longer than its shutdown "
                        + localShutdown);
    }

    /**
     * How long a gateway with this environment may take to stop: Micronaut's graceful-shutdown grace
     * period, which itself must outlast the drain window plus the close timeout.
     */
    private static Duration shutdown(String where, Map<String, String> env) {
        Duration drain = setting(env, "stepcast.ws.drain-window");
        Duration close = setting(env, "stepcast.ws.close-timeout");
        Duration grace = setting(env, "micronaut.lifecycle.graceful-shutdown.grace-period");
        assertTrue(
                grace.compareTo(drain.plus(close)) > 0,
                where + ": graceful-shutdown grace period " + grace + " must exceed drain window " + drain
                        + " + close timeout " + close);
        return grace;
    }

    private static Duration setting(Map<String, String> env, String property) {
        String v = env.get(GatewayFacts.envName(property));
        String value = v != null ? v : gateway.effectiveDefault(property);
        assertTrue(value != null, "the gateway has no value for " + property);
        return GatewayFacts.duration(value);
    }

    @Test
    void theAutoscalerScalesTheDeploymentOnAMetricTheGatewayExports() {
        Map<String, Object> hpa = Manifests.yaml(deploy.resolve("k8s/hpa.yaml"));
        Map<String, Object> deployment = Manifests.yaml(deploy.resolve("k8s/deployment.yaml"));
        String name = str(deployment, "metadata", "name");
        assertEquals(name, str(hpa, "spec", "scaleTargetRef", "name"));
        List<String> podMetrics = list(hpa, "spec", "metrics").stream()
                .filter(m -> "Pods".equals(str(m, "type")))
                .map(m -> str(m, "pods", "metric", "name"))
                .toList();
        assertEquals(List.of("stepcast_connections"), podMetrics);
        for (String metric : podMetrics) {
            assertTrue(
                    gateway.meters().contains(metric),
                    "the gateway exports " + metric + " (it has " + gateway.meters() + ")");
        }
        Map<String, Object> podLabels = map(deployment, "spec", "template", "metadata", "labels");
        for (String file : List.of("k8s/pdb.yaml", "k8s/deployment.yaml")) {
            map(Manifests.yaml(deploy.resolve(file)), "spec", "selector", "matchLabels")
                    .forEach((k, v) -> assertEquals(v, podLabels.get(k), file + " selects the gateway pods by " + k));
        }
        map(Manifests.yaml(deploy.resolve("k8s/service.yaml")), "spec", "selector")
                .forEach((k, v) -> assertEquals(v, podLabels.get(k), "the Service selects the gateway pods by " + k));
        List<Object> kustomized = list(Manifests.yaml(deploy.resolve("k8s/kustomization.yaml")), "resources");
        for (Object r : kustomized) {
            assertTrue(
                    Files.isRegularFile(deploy.resolve("k8s").resolve(String.valueOf(r))), "kustomization lists " + r);
        }
    }

    @Test
    void imagesRunAsNonRootWithContainerJvmFlagsAndTheGatewayImageHasAHealthCheck() {
        for (String name : List.of("gateway", "bridge-cli")) {
            Path file = deploy.resolve("docker/" + name + ".Dockerfile");
            List<Manifests.Instruction> stage = Manifests.lastStage(Manifests.dockerfile(file));
            String from = stage.get(0).args();
            // the gateway runs on JDK 25 (its AOT cache), the bridge CLI on the JDK 17 baseline
            String jre = name.equals("gateway") ? "25" : "17";
            assertTrue(
                    from.startsWith("eclipse-temurin:" + jre + "-jre") || from.contains("distroless/java" + jre),
                    name + ": small JRE " + jre + " base, was " + from);
            List<String> user = Manifests.all(stage, "USER");
            assertEquals(1, user.size(), name + ": one USER");
            assertTrue(user.get(0).matches("[1-9]\\d*(:\\d+)?"), name + ": numeric non-root USER, was " + user);
            String entry = String.join("", Manifests.all(stage, "ENTRYPOINT"));
            assertTrue(
                    entry.startsWith("[\"java\""), name + ": exec-form ENTRYPOINT so java gets SIGTERM, was " + entry);
            String flags = Manifests.dockerEnv(stage).getOrDefault("JDK_JAVA_OPTIONS", "");
            assertTrue(
                    flags.contains("-XX:MaxRAMPercentage=") && flags.contains("-XX:+ExitOnOutOfMemoryError"),
                    name + ": " + flags);
            Matcher jar = Pattern.compile("\"(/app/[^\"]+\\.jar)\"").matcher(entry);
            assertTrue(
                    jar.find() && Manifests.all(stage, "COPY").stream().anyMatch(c -> c.endsWith(" " + jar.group(1))),
                    name + ": ENTRYPOINT runs the jar the stage copies");
            assertTrue(
                    Files.isRegularFile(deploy.resolve("docker/" + name + ".Dockerfile.dockerignore")),
                    name + ": ignore file");
        }
        String uid = Manifests.all(
                        Manifests.lastStage(Manifests.dockerfile(deploy.resolve("docker/gateway.Dockerfile"))), "USER")
                .get(0)
                .split(":")[0];
        Object pod = at(Manifests.yaml(deploy.resolve("k8s/deployment.yaml")), "spec", "template", "spec");
        assertEquals(uid, str(pod, "securityContext", "runAsUser"), "k8s runs the image's user");
        assertEquals("true", str(pod, "securityContext", "runAsNonRoot"));
    }

    @Test
    void composeBuildsThisRepositorysImagesAndMountsItsNginxConfig() {
        Map<String, Object> compose = Manifests.yaml(deploy.resolve("compose.yaml"));
        Path repo = SystemTools.repoRoot();
        for (String service : List.of("gateway", "demo")) {
            Path context = deploy.resolve(str(compose, "services", service, "build", "context"))
                    .normalize();
            assertEquals(repo, context, service + ": build context is the repository root");
            assertTrue(
                    Files.isRegularFile(context.resolve(str(compose, "services", service, "build", "dockerfile"))),
                    service);
        }
        assertEquals("2", str(compose, "services", "gateway", "deploy", "replicas"), "two gateways");
        String volume =
                String.valueOf(list(compose, "services", "nginx", "volumes").get(0));
        assertTrue(
                Files.isRegularFile(deploy.resolve(volume.substring(0, volume.indexOf(':')))),
                "nginx config " + volume);
        assertEquals(
                "demo",
                String.valueOf(list(compose, "services", "demo", "command").get(0)));
    }

    @Test
    void theDemoOrchestratorIsStartedWithOptionsTheBridgeCliHas() {
        String source = Manifests.text(SystemTools.repoRoot()
                .resolve("orchestrator-bridge/src/main/java/io/stepcast/bridge/cli/DemoCommand.java"));
        Matcher declared = Pattern.compile(
                        "new CliArgs\\(\\s*argv,\\s*(?:Set\\.of|BridgeCli\\.withTls)\\(([^)]*)\\),\\s*Set\\.of\\(([^)]*)\\)")
                .matcher(source);
        assertTrue(
                declared.find(),
                "DemoCommand declares its options with new CliArgs(argv, Set.of(...) or BridgeCli.withTls(...), Set.of(...))");
        Set<String> options = new HashSet<>();
        Matcher name = Pattern.compile("\"([a-z0-9-]+)\"").matcher(declared.group(1) + declared.group(2));
        while (name.find()) {
            options.add("--" + name.group(1));
        }
        List<String> used = new ArrayList<>();
        list(Manifests.yaml(deploy.resolve("compose.yaml")), "services", "demo", "command").stream()
                .map(String::valueOf)
                .filter(a -> a.startsWith("--"))
                .forEach(used::add);
        Matcher local = Pattern.compile("-jar \"\\$BRIDGE_CLI_JAR\" demo((?: --[a-z0-9-]+ \"[^\"]*\")*)")
                .matcher(Manifests.text(deploy.resolve("local/components.sh")));
        assertTrue(local.find(), "deploy/local starts the demo with the bridge CLI");
        Matcher opt = Pattern.compile("--[a-z0-9-]+").matcher(local.group(1));
        while (opt.find()) {
            used.add(opt.group());
        }
        assertFalse(used.isEmpty(), "the demo is pointed at the cluster's Redis");
        for (String o : used) {
            assertTrue(options.contains(o), "the bridge CLI's demo has no option " + o + " (it has " + options + ")");
        }
    }
}
