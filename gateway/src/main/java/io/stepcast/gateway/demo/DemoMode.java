package io.stepcast.gateway.demo;

import io.stepcast.gateway.LaunchMode;
import java.util.Map;

/**
 * Demo mode as a {@link LaunchMode} of the gateway's jar: {@code --demo} (or {@code STEPCAST_DEMO=true})
 * runs {@link DemoLauncher} with the remaining arguments. Registered in
 * {@code META-INF/services/io.stepcast.gateway.LaunchMode}.
 */
public final class DemoMode implements LaunchMode {

    @Override
    public boolean requested(String[] args, Map<String, String> env) {
        return DemoLauncher.requested(args, env);
    }

    @Override
    public void launch(String[] args) throws InterruptedException {
        DemoLauncher.main(DemoLauncher.withoutDemoFlag(args));
    }
}
