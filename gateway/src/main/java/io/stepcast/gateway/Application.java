package io.stepcast.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.stepcast.gateway.ops.GatewayShutdown;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Entry point of a Stepcast gateway instance. SIGTERM drains WebSocket clients before stopping.
 * When a {@link LaunchMode} on the class path is requested by the arguments or environment (demo
 * mode: {@code --demo} or {@code STEPCAST_DEMO=true}), that mode runs instead.
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        for (LaunchMode mode : ServiceLoader.load(LaunchMode.class)) {
            if (mode.requested(args, env)) {
                mode.launch(args);
                return;
            }
        }
        ApplicationContext context = Micronaut.run(Application.class, args);
        GatewayShutdown.installSigtermHandler(context);
    }
}
