package io.stepcast.bridge.cli;

import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.RedisTls;
import io.stepcast.bridge.redis.LettuceTls;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The orchestrator bridge's command line: {@code java -jar orchestrator-bridge-*-cli.jar <subcommand> ...}.
 * Exit codes: 0 success, 1 some input or publish failed (details on stderr), 2 usage error.
 */
public final class BridgeCli {

    /** Default Redis when neither --redis nor REDIS_URI is given. */
    public static final String DEFAULT_REDIS = "redis://127.0.0.1:6379";

    static final String COMMON = "common options: --redis <uri> (default: env REDIS_URI, else " + DEFAULT_REDIS
            + "), --prefix <key prefix> (default stepcast); --help or -h after a subcommand explains it;\n"
            + "  --redis-mode standalone|cluster (default: env REDIS_MODE, else standalone; cluster: --redis lists seed nodes,\n"
            + "  redis://[user:password@]host1:port1,host2:port2, rediss:// for TLS)\n"
            + "  --redis-tls-ca <pem> --redis-tls-cert <pem> --redis-tls-key <pem> (pipe, demo, index-repair; env REDIS_TLS_CA/CERT/KEY:\n"
            + "  CA to trust instead of the JVM's, client certificate and PKCS#8 key for mutual TLS; rediss:// only)\n";

    static final String USAGE =
            "usage: java -jar orchestrator-bridge-cli.jar <pipe|demo|token|bench|index-repair> [options]\n"
                    + COMMON + "\n"
                    + PipeCommand.USAGE + "\n\n" + DemoCommand.USAGE + "\n\n" + TokenCommand.USAGE + "\n\n"
                    + BenchCommand.USAGE
                    + "\n\n" + IndexRepairCommand.USAGE + "\n";

    private BridgeCli() {}

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/stepcast/bridge/cli/logback-cli.xml");
        }
        int code = run(args, System.getenv(), System.in, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one subcommand; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        String usage = usageOf(args[0]);
        if (usage != null && (rest.contains("--help") || rest.contains("-h"))) {
            out.print("usage: java -jar orchestrator-bridge-cli.jar " + usage + "\n" + COMMON);
            return 0;
        }
        try {
            return switch (args[0]) {
                case "pipe" -> PipeCommand.run(rest, env, in, out, err);
                case "demo" -> DemoCommand.run(rest, env, err);
                case "token" -> TokenCommand.run(rest, env, out);
                case "bench" -> BenchCommand.run(rest, env, out, err);
                case "index-repair" -> IndexRepairCommand.run(rest, env, out);
                default -> throw new CliArgs.UsageException("unknown subcommand " + args[0]);
            };
        } catch (CliArgs.UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(usage == null ? USAGE : "usage: java -jar orchestrator-bridge-cli.jar " + usage + "\n" + COMMON);
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        } catch (Exception e) {
            err.println("error: " + e);
            return 1;
        }
    }

    /** The usage text of one subcommand, or null when there is no such subcommand. */
    static String usageOf(String subcommand) {
        return switch (subcommand) {
            case "pipe" -> PipeCommand.USAGE;
            case "demo" -> DemoCommand.USAGE;
            case "token" -> TokenCommand.USAGE;
            case "bench" -> BenchCommand.USAGE;
            case "index-repair" -> IndexRepairCommand.USAGE;
            default -> null;
        };
    }

    static String redisUri(CliArgs args, Map<String, String> env) {
        String uri = args.get("redis", env.getOrDefault("REDIS_URI", DEFAULT_REDIS));
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://") && !uri.startsWith("redis-socket://")) {
            throw new CliArgs.UsageException("--redis must be a redis:// URI, got " + uri);
        }
        return uri;
    }

    /** {@code --redis-mode} (env {@code REDIS_MODE}), standalone by default. */
    static RedisMode redisMode(CliArgs args, Map<String, String> env) {
        try {
            return RedisMode.parse(args.get("redis-mode", env.getOrDefault("REDIS_MODE", "standalone")));
        } catch (IllegalArgumentException e) {
            throw new CliArgs.UsageException("--redis-mode: " + e.getMessage());
        }
    }

    /** The TLS flags a command accepts besides {@code --redis}. */
    static final List<String> TLS_FLAGS = List.of("redis-tls-ca", "redis-tls-cert", "redis-tls-key");

    /**
     * {@code --redis-tls-ca}, {@code --redis-tls-cert}, {@code --redis-tls-key} (env
     * {@code REDIS_TLS_CA}, {@code REDIS_TLS_CERT}, {@code REDIS_TLS_KEY}): PEM files for a
     * {@code rediss://} URI; none given: the JVM trust store, no client certificate.
     */
    /** {@code flags} plus {@link #TLS_FLAGS}. */
    static Set<String> withTls(String... flags) {
        Set<String> all = new HashSet<>(List.of(flags));
        all.addAll(TLS_FLAGS);
        return all;
    }

    static RedisTls redisTls(CliArgs args, Map<String, String> env, String uri) {
        try {
            RedisTls tls = RedisTls.of(
                    args.get("redis-tls-ca", env.get("REDIS_TLS_CA")),
                    args.get("redis-tls-cert", env.get("REDIS_TLS_CERT")),
                    args.get("redis-tls-key", env.get("REDIS_TLS_KEY")));
            LettuceTls.checkScheme(tls, uri);
            return tls;
        } catch (IllegalArgumentException e) {
            throw new CliArgs.UsageException("--redis-tls-*: " + e.getMessage());
        }
    }

    static RedisLayout layout(CliArgs args) {
        try {
            return new RedisLayout(args.get("prefix", RedisLayout.DEFAULT_PREFIX));
        } catch (IllegalArgumentException e) {
            throw new CliArgs.UsageException(e.getMessage());
        }
    }
}
