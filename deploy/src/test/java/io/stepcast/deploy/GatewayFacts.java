package io.stepcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.testing.MissingTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the gateway really offers, read from the gateway itself rather than from documentation:
 *
 * <ul>
 *   <li>configuration keys: the {@code META-INF/spring-configuration-metadata.json} files on the
 *       classpath. Micronaut's annotation processor writes the gateway's from its
 *       {@code @ConfigurationProperties} records at compile time (names, types, defaults); Micronaut's
 *       own jars carry theirs ({@code micronaut.server.port}, ...). Plus the keys of the gateway's
 *       {@code application.yml};</li>
 *   <li>HTTP paths: the {@code @ServerWebSocket}/{@code @Controller} paths in the gateway's sources,
 *       and the management endpoints whose classes are on the gateway's classpath;</li>
 *   <li>metric names: the {@code stepcast.*} meter names in the gateway's sources, in Prometheus
 *       form ({@code stepcast.connections} → {@code stepcast_connections}).</li>
 * </ul>
 */
final class GatewayFacts {

    private static final Pattern WS_PATH = Pattern.compile("@ServerWebSocket\\(\\s*(?:value\\s*=\\s*)?\"([^\"]+)\"");
    /** {@code @ServerWebSocket(value = Type.NAME, ...)} with {@code NAME = "..."} declared in the same file. */
    private static final Pattern WS_PATH_CONSTANT =
            Pattern.compile("@ServerWebSocket\\(\\s*(?:value\\s*=\\s*)?(?:\\w+\\.)?(\\w+)\\s*[,)]");

    private static final Pattern METER_NAME = Pattern.compile("\"(stepcast(?:\\.[a-z0-9_]+)+)\"");

    /** A configuration property: its dotted kebab-case name, Java type and default (may be null). */
    record Property(String name, String type, String defaultValue) {}

    private final Map<String, Property> properties;
    private final Set<String> paths;
    private final Set<String> meters;
    private final Map<String, Object> yamlValues;

    private GatewayFacts(
            Map<String, Property> properties, Set<String> paths, Set<String> meters, Map<String, Object> yamlValues) {
        this.properties = properties;
        this.paths = paths;
        this.meters = meters;
        this.yamlValues = yamlValues;
    }

    static GatewayFacts load() {
        Path repo = SystemTools.repoRoot();
        Path gatewaySrc = repo.resolve("gateway/src/main");
        Map<String, Property> props = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        boolean gatewayMetadata = false;
        try {
            Enumeration<URL> urls =
                    GatewayFacts.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
            for (URL url : Collections.list(urls)) {
                try (InputStream in = url.openStream()) {
                    JsonNode root = json.readTree(in);
                    for (JsonNode p : root.path("properties")) {
                        String name = p.path("name").asText();
                        gatewayMetadata |= p.path("sourceType").asText().startsWith("io.stepcast.gateway.");
                        props.putIfAbsent(
                                name,
                                new Property(
                                        name,
                                        p.path("type").asText(null),
                                        p.path("defaultValue").isMissingNode()
                                                ? null
                                                : p.path("defaultValue").asText()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Until the gateway has a @ConfigurationProperties record there is nothing to drift from.
        MissingTool.assumePresent(
                gatewayMetadata,
                "gateway configuration metadata",
                () -> "no configuration"
                        + " metadata of io.stepcast.gateway on the classpath (META-INF/spring-configuration-metadata.json,"
                        + " written by Micronaut's processor for @ConfigurationProperties); build with -am");
        Path yml = gatewaySrc.resolve("resources/application.yml");
        Map<String, Object> yaml = Files.isRegularFile(yml) ? flatten("", loadYaml(yml)) : Map.of();
        for (Map.Entry<String, Object> e : yaml.entrySet()) {
            props.putIfAbsent(e.getKey(), new Property(e.getKey(), null, null));
        }

        Set<String> paths = new TreeSet<>();
        Set<String> meters = new TreeSet<>();
        try (Stream<Path> files = Files.walk(gatewaySrc.resolve("java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher m = WS_PATH.matcher(src);
                while (m.find()) {
                    paths.add(m.group(1));
                }
                Matcher c = WS_PATH_CONSTANT.matcher(src);
                while (c.find()) {
                    Matcher value = Pattern.compile("\\b" + c.group(1) + "\\s*=\\s*\"([^\"]+)\"")
                            .matcher(src);
                    if (value.find()) {
                        paths.add(value.group(1));
                    }
                }
                Matcher n = METER_NAME.matcher(src);
                while (n.find()) {
                    meters.add(n.group(1).replace('.', '_'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (classPresent("io.micronaut.management.endpoint.health.HealthEndpoint")
                && !"false".equals(String.valueOf(yaml.get("endpoints.health.enabled")))) {
            paths.addAll(Set.of("/health", "/health/liveness", "/health/readiness"));
        }
        if (classPresent("io.micronaut.configuration.metrics.micrometer.prometheus.management.PrometheusEndpoint")
                && !"false".equals(String.valueOf(yaml.get("endpoints.prometheus.enabled")))) {
            paths.add("/prometheus");
        }
        Object relocated = yaml.get("endpoints.all.path");
        if (relocated != null && !"/".equals(String.valueOf(relocated))) {
            throw new IllegalStateException(
                    "the gateway moves its management endpoints under " + relocated + "; teach GatewayFacts about it");
        }
        return new GatewayFacts(props, paths, meters, yaml);
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, GatewayFacts.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> loadYaml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return doc instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> flatten(String prefix, Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) {
                out.putAll(flatten(key, (Map<String, Object>) m));
            } else {
                out.put(key, e.getValue());
            }
        }
        return out;
    }

    /** Micronaut's environment-variable form of a property: upper case, dots and dashes → underscores. */
    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The property an environment variable sets, if the gateway has it. */
    Optional<Property> propertyForEnv(String env) {
        return properties.values().stream()
                .filter(p -> envName(p.name()).equals(env))
                .findFirst()
                .or(() -> properties.values().stream()
                        .filter(p -> p.type() != null
                                && p.type().startsWith("java.util.Map")
                                && env.startsWith(envName(p.name()) + "_"))
                        .findFirst());
    }

    Optional<Property> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    /**
     * The value the gateway runs with when a manifest does not set the property: its
     * application.yml value, else the property's declared default (null when neither exists).
     */
    String effectiveDefault(String name) {
        Object yaml = yamlValues.get(name);
        if (yaml != null && !String.valueOf(yaml).startsWith("${")) {
            return String.valueOf(yaml);
        }
        return property(name).map(Property::defaultValue).orElse(null);
    }

    Set<String> paths() {
        return paths;
    }

    Set<String> meters() {
        return meters;
    }

    /** A duration as Micronaut reads it: "10s", "500ms", "2m", ISO-8601 "PT10S", or plain millis. */
    static Duration duration(String text) {
        String t = text.trim();
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(t);
        if (m.matches()) {
            long v = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(v);
                case "s" -> Duration.ofSeconds(v);
                case "m" -> Duration.ofMinutes(v);
                case "h" -> Duration.ofHours(v);
                default -> Duration.ofDays(v);
            };
        }
        if (t.matches("\\d+")) {
            return Duration.ofMillis(Long.parseLong(t));
        }
        return Duration.parse(t);
    }
}
