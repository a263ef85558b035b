package io.stepcast.deploy;

import static io.stepcast.deploy.Manifests.at;
import static io.stepcast.deploy.Manifests.list;
import static io.stepcast.deploy.Manifests.map;
import static io.stepcast.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No drift between deploy/'s manifests and the gateway: every configuration variable they set is a
 * real gateway setting with a value of the right type, the gateway's port is the same everywhere,
 * and every health/metrics path they probe exists. The gateway side comes from {@link GatewayFacts}
 * (compile-time configuration metadata, sources, classpath), never from a hand-kept list.
 */
class ManifestConfigDriftTest {

    private static final Pattern SCRIPT_ENV = Pattern.compile("\\b((?:STEPCAST|MICRONAUT)_[A-Z0-9_]+)=");
    private static final Pattern TEST_ENV = Pattern.compile("\"((?:STEPCAST|MICRONAUT)_[A-Z0-9_]+)\"");

    private static GatewayFacts gateway;
    private static Path deploy;

    @BeforeAll
    static void load() {
        gateway = GatewayFacts.load();
        deploy = Manifests.deployDir();
    }

    /** Every place that hands the gateway environment variables, by manifest. */
    static Map<String, Map<String, String>> gatewayEnvironments() {
        Path d = Manifests.deployDir();
        Map<String, Map<String, String>> envs = new LinkedHashMap<>();
        envs.put(
                "docker/gateway.Dockerfile",
                Manifests.dockerEnv(Manifests.dockerfile(d.resolve("docker/gateway.Dockerfile"))));
        envs.put(
                "compose.yaml (gateway)",
                Manifests.composeEnv(at(Manifests.yaml(d.resolve("compose.yaml")), "services", "gateway")));
        Map<String, String> configMap = new LinkedHashMap<>();
        map(Manifests.yaml(d.resolve("k8s/configmap.yaml")), "data")
                .forEach((k, v) -> configMap.put(k, String.valueOf(v)));
        envs.put("k8s/configmap.yaml", configMap);
        Map<String, String> secret = new LinkedHashMap<>();
        map(Manifests.yaml(d.resolve("k8s/secret.yaml")), "stringData")
                .forEach((k, v) -> secret.put(k, String.valueOf(v)));
        envs.put("k8s/secret.yaml", secret);
        envs.put("k8s/deployment.yaml", Manifests.containerEnv(k8sContainer()));
        envs.put("cloudrun/service.yaml", Manifests.containerEnv(cloudRunContainer()));
        return envs;
    }

    static Object k8sContainer() {
        return at(
                Manifests.yaml(Manifests.deployDir().resolve("k8s/deployment.yaml")),
                "spec",
                "template",
                "spec",
                "containers",
                0);
    }

    static Object cloudRunContainer() {
        return at(
                Manifests.yaml(Manifests.deployDir().resolve("cloudrun/service.yaml")),
                "spec",
                "template",
                "spec",
                "containers",
                0);
    }

    @Test
    void everyGatewaySettingTheManifestsSetExistsWithAValueOfItsType() throws IOException {
        List<String> problems = new ArrayList<>();
        gatewayEnvironments()
                .forEach((where, env) -> env.forEach((name, value) -> check(where, name, value, problems)));
        // The local cluster's scripts and the system tests set gateway variables too.
        for (Path script : List.of(deploy.resolve("local/components.sh"), deploy.resolve("local/up.sh"))) {
            Matcher m = SCRIPT_ENV.matcher(Manifests.text(script));
            while (m.find()) {
                check("local/" + script.getFileName(), m.group(1), null, problems);
            }
        }
        try (Stream<Path> files = Files.walk(deploy.resolve("src/test/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("IT.java")).toList()) {
                Matcher m = TEST_ENV.matcher(Files.readString(f));
                while (m.find()) {
                    check(f.getFileName().toString(), m.group(1), null, problems);
                }
            }
        }
        assertTrue(problems.isEmpty(), "settings the gateway does not have:\n  " + String.join("\n  ", problems));
    }

    private static void check(String where, String name, String value, List<String> problems) {
        if (!name.startsWith("STEPCAST_") && !name.startsWith("MICRONAUT_")) {
            return;
        }
        if (name.startsWith("STEPCAST_LOCAL_")
                || name.equals("STEPCAST_GATEWAY_JAR")
                || name.equals("STEPCAST_BRIDGE_CLI_JAR")) {
            return; // settings of the deploy/local scripts themselves (documented in up.sh)
        }
        var property = gateway.propertyForEnv(name);
        if (property.isEmpty()) {
            problems.add(where + ": " + name + " matches no gateway configuration property");
            return;
        }
        String type = property.get().type();
        if (value == null || value.equals("valueFrom") || type == null) {
            return;
        }
        try {
            switch (type) {
                case "java.time.Duration" -> GatewayFacts.duration(value);
                case "int", "java.lang.Integer" -> Integer.parseInt(value);
                case "long", "java.lang.Long" -> Long.parseLong(value);
                case "boolean", "java.lang.Boolean" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new IllegalArgumentException("not a boolean");
                    }
                }
                default -> {
                    // strings, URIs, enums: not checked here
                }
            }
        } catch (RuntimeException e) {
            problems.add(where + ": " + name + "=" + value + " is not a valid " + type);
        }
    }

    @Test
    void theGatewayPortIsTheSameInEveryManifest() {
        List<Manifests.Instruction> docker = Manifests.dockerfile(deploy.resolve("docker/gateway.Dockerfile"));
        String port = Manifests.dockerEnv(docker).get("MICRONAUT_SERVER_PORT");
        assertEquals("8080", port, "the image sets the gateway's port");
        assertEquals(List.of(port), Manifests.all(Manifests.lastStage(docker), "EXPOSE"), "EXPOSE");
        String healthcheck = String.join(" ", Manifests.all(docker, "HEALTHCHECK"));
        assertTrue(
                healthcheck.contains("/dev/tcp/127.0.0.1/" + port),
                "HEALTHCHECK probes the gateway's port: " + healthcheck);

        Map<String, Object> compose = Manifests.yaml(deploy.resolve("compose.yaml"));
        assertEquals(
                port,
                Manifests.composeEnv(at(compose, "services", "gateway")).get("MICRONAUT_SERVER_PORT"),
                "compose gateway port");
        assertTrue(
                list(compose, "services", "gateway", "expose").stream()
                        .map(String::valueOf)
                        .anyMatch(port::equals),
                "compose expose");
        String composeNginx = Manifests.text(deploy.resolve("compose/nginx.conf"));
        assertTrue(
                composeNginx.contains("server gateway:" + port + " "),
                "compose nginx upstream uses the gateway's port");

        Object container = k8sContainer();
        assertEquals(
                port,
                Manifests.containerEnv(container)
                        .getOrDefault(
                                "MICRONAUT_SERVER_PORT",
                                String.valueOf(map(Manifests.yaml(deploy.resolve("k8s/configmap.yaml")), "data")
                                        .get("MICRONAUT_SERVER_PORT"))),
                "k8s ConfigMap port");
        Object http = list(container, "ports").stream()
                .filter(p -> "http".equals(str(p, "name")))
                .findFirst()
                .orElseThrow();
        assertEquals(port, str(http, "containerPort"), "k8s containerPort named http");
        Map<String, Object> deployment = Manifests.yaml(deploy.resolve("k8s/deployment.yaml"));
        assertEquals(port, str(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/port"));
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertEquals("http", str(container, probe, "httpGet", "port"), "k8s " + probe + " port");
        }
        Map<String, Object> service = Manifests.yaml(deploy.resolve("k8s/service.yaml"));
        assertEquals("http", str(service, "spec", "ports", 0, "targetPort"), "k8s Service targetPort");
        Map<String, Object> ingress = Manifests.yaml(deploy.resolve("k8s/ingress.yaml"));
        assertEquals(
                str(service, "spec", "ports", 0, "name"),
                str(ingress, "spec", "rules", 0, "http", "paths", 0, "backend", "service", "port", "name"),
                "Ingress → Service port");
        assertEquals(
                str(service, "metadata", "name"),
                str(ingress, "spec", "rules", 0, "http", "paths", 0, "backend", "service", "name"),
                "Ingress → Service name");

        Object run = cloudRunContainer();
        assertEquals(port, str(run, "ports", 0, "containerPort"), "Cloud Run containerPort");
        assertEquals(port, Manifests.containerEnv(run).get("MICRONAUT_SERVER_PORT"), "Cloud Run port env");
        for (String probe : List.of("startupProbe", "livenessProbe")) {
            assertEquals(port, str(run, probe, "httpGet", "port"), "Cloud Run " + probe + " port");
        }
    }

    @Test
    void everyProbedPathExistsInTheGatewayAndProbesTheRightHealthGroup() {
        assertTrue(gateway.paths().contains("/ws"), "the gateway serves /ws: " + gateway.paths());
        Map<String, String> probes = new LinkedHashMap<>();
        Object k8s = k8sContainer();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            probes.put("k8s " + probe, str(k8s, probe, "httpGet", "path"));
        }
        Object run = cloudRunContainer();
        for (String probe : List.of("startupProbe", "livenessProbe")) {
            probes.put("cloudrun " + probe, str(run, probe, "httpGet", "path"));
        }
        probes.put(
                "k8s prometheus.io/path",
                str(
                        Manifests.yaml(deploy.resolve("k8s/deployment.yaml")),
                        "spec",
                        "template",
                        "metadata",
                        "annotations",
                        "prometheus.io/path"));
        Matcher hc = Pattern.compile("GET (\\S+) HTTP")
                .matcher(String.join(
                        " ",
                        Manifests.all(
                                Manifests.dockerfile(deploy.resolve("docker/gateway.Dockerfile")), "HEALTHCHECK")));
        assertTrue(hc.find(), "the gateway image has an HTTP HEALTHCHECK");
        probes.put("gateway.Dockerfile HEALTHCHECK", hc.group(1));
        Matcher ready = Pattern.compile("READY_PATH=\"([^\"]+)\"")
                .matcher(Manifests.text(deploy.resolve("local/components.sh")));
        assertTrue(ready.find(), "local/components.sh names its readiness path");
        probes.put("local READY_PATH", ready.group(1));

        probes.forEach((where, path) -> assertTrue(
                gateway.paths().contains(path),
                where + " probes " + path + ", which the gateway does not serve (it serves " + gateway.paths() + ")"));
        assertEquals("/health/readiness", probes.get("k8s readinessProbe"), "readiness includes Redis");
        assertEquals("/health/readiness", probes.get("local READY_PATH"));
        // A Redis outage must not restart gateways: liveness never includes Redis.
        for (String key : List.of(
                "k8s livenessProbe",
                "k8s startupProbe",
                "cloudrun livenessProbe",
                "cloudrun startupProbe",
                "gateway.Dockerfile HEALTHCHECK")) {
            assertEquals("/health/liveness", probes.get(key), key);
        }
    }

    @Test
    void everySecretAndConfigMapTheDeploymentReadsIsDefinedInTheKustomization() {
        Map<String, Object> secret = Manifests.yaml(deploy.resolve("k8s/secret.yaml"));
        Map<String, Object> configMap = Manifests.yaml(deploy.resolve("k8s/configmap.yaml"));
        Object container = k8sContainer();
        for (Object e : list(container, "env")) {
            Object ref = at(e, "valueFrom", "secretKeyRef");
            if (ref != null) {
                assertEquals(
                        str(secret, "metadata", "name"),
                        str(ref, "name"),
                        str(e, "name") + " reads the gateway's Secret");
                assertTrue(
                        map(secret, "stringData").containsKey(str(ref, "key")),
                        "secret.yaml defines " + str(ref, "key") + " (read by " + str(e, "name") + ")");
            }
        }
        for (Object from : list(container, "envFrom")) {
            if (at(from, "configMapRef") != null) {
                assertEquals(
                        str(configMap, "metadata", "name"), str(from, "configMapRef", "name"), "envFrom ConfigMap");
            }
        }
    }
}
