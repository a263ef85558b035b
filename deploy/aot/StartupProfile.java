import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a gateway's start-up time goes: inclusive execution samples of the main thread per method,
 * from a JFR recording (deploy/aot/profile-startup.sh makes one). Single-file program:
 * {@code java deploy/aot/StartupProfile.java recording.jfr [rows]}.
 */
public final class StartupProfile {

    private static final List<String> KEEP = List.of("io.stepcast.", "io.micronaut.runtime.Micronaut.",
            "io.micronaut.context.DefaultBeanContext.start", "io.micronaut.context.DefaultBeanContext.initializeContext",
            "io.micronaut.context.env.DefaultEnvironment.start", "io.micronaut.context.env.DefaultEnvironment.readPropertySources",
            "io.micronaut.context.DefaultApplicationContextBuilder.build", "io.micronaut.context.DefaultApplicationContext.start",
            "io.micronaut.http.server.netty.NettyHttpServer.start", "ch.qos.logback.classic.util.ContextInitializer.autoConfig",
            "io.micronaut.validation.validator.", "io.micronaut.management.endpoint.processors.",
            "io.micronaut.configuration.metrics.", "io.lettuce.core.RedisClient.connect", "java.lang.ClassLoader.loadClass");

    private StartupProfile() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int main = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getThread("sampledThread") == null) {
                continue;
            }
            String thread = e.getThread("sampledThread").getJavaName();
            threads.merge(thread, 1, Integer::sum);
            if (!"main".equals(thread) || e.getStackTrace() == null) {
                continue;
            }
            main++;
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                String m = f.getMethod().getType().getName() + "." + f.getMethod().getName();
                if (seen.add(m) && KEEP.stream().anyMatch(m::startsWith)) {
                    inclusive.merge(m, 1, Integer::sum);
                }
            }
        }
        System.out.println("samples by thread: " + threads.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue()).limit(8).toList());
        int total = main;
        System.out.println("main-thread samples: " + total + "; inclusive samples by method:");
        inclusive.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(rows)
                .forEach(x -> System.out.printf("%6d  %5.1f%%  %s%n", x.getValue(), 100.0 * x.getValue() / Math.max(1, total), x.getKey()));
    }
}
