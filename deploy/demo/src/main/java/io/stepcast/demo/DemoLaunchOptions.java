package io.stepcast.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Options of the demo launcher.
 *
 * <p>Read from command-line flags ({@code --port=9090}), falling back to system properties
 * ({@code -Dstepcast.demo.port=9090}) and then to the defaults. Arguments the launcher does not know
 * are passed on to Micronaut untouched (e.g. {@code --micronaut.server.idle-timeout=10m}).
 *
 * @param host      interface the gateway binds; loopback by default because demo mode runs with
 *                  authentication off
 * @param httpPort  gateway HTTP port; {@code -1} picks a random free port (tests)
 * @param redisPort embedded Redis port; {@code 0} means 6379 if free, else a random free port
 * @param plans     number of simulated demo plans the orchestrator keeps running
 * @param micronautArgs remaining arguments, handed to Micronaut
 */
public record DemoLaunchOptions(String host, int httpPort, int redisPort, int plans, List<String> micronautArgs) {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_PLANS = 3;

    public DemoLaunchOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new IllegalArgumentException("port must be -1 (random) or 0..65535: " + httpPort);
        }
        if (redisPort < 0 || redisPort > 65535) {
            throw new IllegalArgumentException("redis-port must be 0 (auto) or 1..65535: " + redisPort);
        }
        if (plans < 1 || plans > 100) {
            throw new IllegalArgumentException("plans must be 1..100: " + plans);
        }
        micronautArgs = List.copyOf(micronautArgs);
    }

    /** Defaults: localhost:8080, Redis on 6379 if free, three demo plans. */
    public static DemoLaunchOptions defaults() {
        return new DemoLaunchOptions(DEFAULT_HOST, DEFAULT_HTTP_PORT, 0, DEFAULT_PLANS, List.of());
    }

    /** Random HTTP and Redis ports, for tests that run beside other processes. */
    public static DemoLaunchOptions randomPorts() {
        return new DemoLaunchOptions(DEFAULT_HOST, -1, EmbeddedRedis.freePort(), DEFAULT_PLANS, List.of());
    }

    /** Parses {@code --host=}, {@code --port=}, {@code --redis-port=}, {@code --plans=}. */
    public static DemoLaunchOptions parse(String[] args, Map<String, String> systemProperties) {
        Function<String, String> prop = name -> systemProperties.get("stepcast.demo." + name);
        String host = orDefault(prop.apply("host"), DEFAULT_HOST);
        int port = intOf("port", orDefault(prop.apply("port"), String.valueOf(DEFAULT_HTTP_PORT)));
        int redisPort = intOf("redis-port", orDefault(prop.apply("redis-port"), "0"));
        int plans = intOf("plans", orDefault(prop.apply("plans"), String.valueOf(DEFAULT_PLANS)));
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--host=")) {
                host = arg.substring("--host=".length());
            } else if (arg.startsWith("--port=")) {
                port = intOf("port", arg.substring("--port=".length()));
            } else if (arg.startsWith("--redis-port=")) {
                redisPort = intOf("redis-port", arg.substring("--redis-port=".length()));
            } else if (arg.startsWith("--plans=")) {
                plans = intOf("plans", arg.substring("--plans=".length()));
            } else if (!arg.isBlank()) {
                rest.add(arg);
            }
        }
        return new DemoLaunchOptions(host, port, redisPort, plans, rest);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int intOf(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value);
        }
    }
}
