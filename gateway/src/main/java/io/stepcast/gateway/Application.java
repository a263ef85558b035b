package io.stepcast.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.stepcast.gateway.ops.GatewayShutdown;

/** Entry point of a Stepcast gateway instance. SIGTERM drains WebSocket clients before stopping. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        ApplicationContext context = Micronaut.run(Application.class, args);
        GatewayShutdown.installSigtermHandler(context);
    }
}
