package io.stepcast.gateway.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.List;

/**
 * Demo mode as the gateway sees it ({@code stepcast.demo.*}); set only by the demo launcher, which
 * owns the embedded Redis and the simulated orchestrator.
 *
 * @param enabled true inside a demo launcher (reported by {@code GET /api/info}, so the dashboard shows
 *                its "demo mode" banner and the demo plans)
 * @param plans   ids of the simulated plans
 */
@ConfigurationProperties("stepcast.demo")
public record DemoConfig(
        @Bindable(defaultValue = "false") boolean enabled,
        @Nullable List<String> plans) {

    public DemoConfig {
        plans = plans == null
                ? List.of()
                : plans.stream().filter(p -> p != null && !p.isBlank()).toList();
    }
}
