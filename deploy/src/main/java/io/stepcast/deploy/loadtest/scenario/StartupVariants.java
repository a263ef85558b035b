package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up scenario's variants: {@code jdk17} (the JDK running the benchmark, 17 by default),
 * {@code jdk25} (plain), {@code jdk25-aot} (with the AOT cache that {@code deploy/aot/train.sh} wrote
 * next to the gateway jar) and {@code netty} (the raw ceiling on JDK 25, else the benchmark's JDK). All
 * run with the same JVM flags: the image's ({@code deploy/aot/jvm.flags}) plus {@code -XX:MaxRAM} of
 * the container, unless {@code --startup-jvm-opts} says otherwise. Named only: {@code jdk25-maot}, the
 * Micronaut AOT variant of the jar with its own AOT cache ({@code deploy/aot/micronaut-aot.sh --train}
 * writes both to {@code gateway/target/maot/}).
 */
final class StartupVariants {

    static final List<String> ALL = List.of("jdk17", "jdk25", "jdk25-aot", "netty");

    private StartupVariants() {}

    /** Why the variant cannot run here, or null. */
    static String unavailable(String name, LoadOptions o, Path gatewayJar) {
        if (name.startsWith("jdk25") && !Files.isExecutable(jdk25(o))) {
            return "no JDK 25 at " + jdk25(o) + " (--startup-jdk25 or JAVA25_HOME)";
        }
        if (name.equals("jdk25-aot") && !Files.isRegularFile(cache(gatewayJar))) {
            return "no AOT cache at " + cache(gatewayJar) + " (deploy/aot/train.sh writes it)";
        }
        if (name.equals("jdk25-maot") && !Files.isRegularFile(cache(maotJar(gatewayJar)))) {
            return "no Micronaut AOT jar and cache at " + cache(maotJar(gatewayJar))
                    + " (deploy/aot/micronaut-aot.sh --train writes them)";
        }
        return null;
    }

    static StartupScenario.Variant of(String name, LoadOptions o, Path gatewayJar) {
        List<String> flags = new ArrayList<>(flags(o));
        Path harness = Path.of(System.getProperty("java.home"), "bin", "java");
        return switch (name) {
            case "jdk17" -> new StartupScenario.Variant(name, harness, flags, false, null);
            case "jdk25" -> new StartupScenario.Variant(name, jdk25(o), flags, false, null);
            case "jdk25-aot" -> {
                flags.add("-XX:AOTCache=" + cache(gatewayJar));
                yield new StartupScenario.Variant(name, jdk25(o), flags, false, null);
            }
            case "jdk25-maot" -> {
                flags.add("-XX:AOTCache=" + cache(maotJar(gatewayJar)));
                yield new StartupScenario.Variant(name, jdk25(o), flags, false, maotJar(gatewayJar));
            }
            case "netty" ->
                new StartupScenario.Variant(name, Files.isExecutable(jdk25(o)) ? jdk25(o) : harness, flags, true, null);
            default -> throw new IllegalArgumentException("unknown start-up variant " + name);
        };
    }

    /** The AOT cache of a jar: its name with {@code .aot}, in the same directory. */
    static Path cache(Path jar) {
        String n = jar.getFileName().toString();
        return jar.resolveSibling(n.substring(0, n.length() - ".jar".length()) + ".aot");
    }

    /** The Micronaut AOT variant of the jar that {@code deploy/aot/micronaut-aot.sh} writes. */
    static Path maotJar(Path gatewayJar) {
        return gatewayJar.resolveSibling("maot").resolve("gateway-maot.jar");
    }

    static Path jdk25(LoadOptions o) {
        return Path.of(o.startupJdk25(), "bin", "java");
    }

    /** {@code --startup-jvm-opts}, else the image's flags plus the container's {@code -XX:MaxRAM}. */
    static List<String> flags(LoadOptions o) {
        if (!o.startupJvmOpts().isEmpty()) {
            return o.startupJvmOpts();
        }
        List<String> flags = new ArrayList<>(imageFlags(o.repo()));
        flags.add("-XX:MaxRAM=" + o.startupMaxRam());
        return flags;
    }

    /** The non-comment lines of {@code deploy/aot/jvm.flags}. */
    static List<String> imageFlags(Path repo) {
        try {
            return Files.readAllLines(repo.resolve("deploy/aot/jvm.flags")).stream()
                    .map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read deploy/aot/jvm.flags", e);
        }
    }

    /** The first line of {@code java -version}. */
    static String javaVersion(Path java) {
        try {
            Process p = new ProcessBuilder(java.toString(), "-version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().findFirst().orElse("?").trim();
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }
}
