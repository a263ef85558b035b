package io.stepcast.gateway;

import io.stepcast.gateway.ops.GatewayShutdown;
import java.util.Arrays;
import java.util.Map;

/**
 * Entry point of a Stepcast gateway instance. SIGTERM drains WebSocket clients before stopping.
 *
 * <p>A start without the settings a production gateway needs (its Redis, a key for client tokens)
 * ends before the application context starts with one paragraph naming all of them
 * ({@link RequiredSettings}); the environment is read once for that check and the start
 * ({@link GatewayStart}).
 *
 * <p>This jar is the production gateway only: demo mode (embedded Redis, simulated orchestrator)
 * lives in the {@code demo} module, so {@code --demo} here ends with a message saying where it is.
 */
public final class Application {

    /** Printed (exit code 2) when the production jar is asked for demo mode. */
    static final String DEMO_ELSEWHERE = "stepcast: demo mode is not part of the production gateway jar. "
            + "Run it with ./mvnw -pl deploy/demo -am -Pdemo package, or java -jar deploy/demo/target/demo-<version>.jar --demo";

    private Application() {}

    public static void main(String[] args) {
        if (demoRequested(args, System.getenv())) {
            System.err.println(DEMO_ELSEWHERE);
            System.exit(2);
            return;
        }
        GatewayStart.Outcome outcome = GatewayStart.start(args);
        if (outcome instanceof GatewayStart.Outcome.Missing missing) {
            System.err.println(RequiredSettings.paragraph(missing.problems()));
            System.exit(1);
        } else if (outcome instanceof GatewayStart.Outcome.Running running) {
            GatewayShutdown.installSigtermHandler(running.context());
        }
    }

    /** True when the arguments or environment ask for demo mode ({@code --demo}, {@code STEPCAST_DEMO=true}). */
    static boolean demoRequested(String[] args, Map<String, String> env) {
        return Arrays.asList(args).contains("--demo") || "true".equalsIgnoreCase(env.getOrDefault("STEPCAST_DEMO", ""));
    }
}
