import io.micronaut.aot.MicronautAotOptimizer;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Runs Micronaut AOT's optimizer (micronaut-aot-api's {@code MicronautAotOptimizer}, the code behind
 * micronaut-maven-plugin's {@code aot-analysis}) on a built gateway jar, without the plugin's nested
 * Maven build. Single-file program, started by deploy/aot/micronaut-aot.sh:
 * {@code java -cp <micronaut-aot jars>:<gateway jar> deploy/aot/MicronautAot.java <optimisations.properties> <gateway jar> <output dir>}.
 * Writes {@code <output dir>/classes} (generated classes and service files to add to the jar),
 * {@code sources} and {@code logs}.
 */
public final class MicronautAot {

    private MicronautAot() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: MicronautAot <optimisations.properties> <gateway jar> <output dir>");
            System.exit(2);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            p.load(r);
        }
        p.setProperty("classpath", Path.of(args[1]).toAbsolutePath().toString());
        p.setProperty("output.directory", Path.of(args[2]).toAbsolutePath().toString());
        p.setProperty("runtime", "JIT");
        p.setProperty("package", "io.stepcast.gateway.aot");
        MicronautAotOptimizer.execute(p);
    }
}
