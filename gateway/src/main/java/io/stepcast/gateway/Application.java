package io.stepcast.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.stepcast.gateway.demo.DemoLauncher;
import io.stepcast.gateway.ops.GatewayShutdown;

/**
 * Entry point of a Stepcast gateway instance. SIGTERM drains WebSocket clients before stopping.
 * With {@code --demo} (or {@code STEPCAST_DEMO=true}) it starts demo mode instead: embedded Redis,
 * gateway and simulated orchestrator ({@link DemoLauncher}).
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (DemoLauncher.requested(args, System.getenv())) {
            DemoLauncher.main(DemoLauncher.withoutDemoFlag(args));
            return;
        }
        ApplicationContext context = Micronaut.run(Application.class, args);
        GatewayShutdown.installSigtermHandler(context);
    }
}
