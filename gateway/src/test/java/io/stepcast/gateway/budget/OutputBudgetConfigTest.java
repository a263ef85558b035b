package io.stepcast.gateway.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.stepcast.gateway.ConfigContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding of {@code stepcast.output-budget}: the heap-derived default, overrides, validation. */
class OutputBudgetConfigTest {

    private static ApplicationContext context(Map<String, Object> props) {
        return ConfigContext.start(props);
    }

    @Test
    void defaultsToAQuarterOfTheMaximumHeap() {
        try (ApplicationContext ctx = context(Map.of())) {
            OutputBudgetConfig config = ctx.getBean(OutputBudgetConfig.class);
            long expected =
                    Math.max(OutputBudgetConfig.MIN_BYTES, Runtime.getRuntime().maxMemory() / 100 * 25);
            assertEquals(expected, config.maxBytes());
            assertEquals(75, config.lowWaterPercent());
            assertEquals(expected * 75 / 100, config.lowWaterBytes());
            assertEquals(Duration.ofMillis(100), config.checkInterval());
            assertEquals(Duration.ofSeconds(1), config.cutAfter());
            OutputBudget budget = ctx.getBean(OutputBudget.class);
            assertEquals(expected, budget.maxBytes());
            assertEquals(
                    (double) expected,
                    ctx.getBean(MeterRegistry.class)
                            .get("stepcast.output.budget")
                            .gauge()
                            .value());
        }
    }

    @Test
    void overridesBind() {
        try (ApplicationContext ctx = context(Map.of(
                "stepcast.output-budget.max-bytes", "4194304",
                "stepcast.output-budget.low-water-percent", "50",
                "stepcast.output-budget.check-interval", "20ms",
                "stepcast.output-budget.cut-after", "300ms"))) {
            assertEquals(
                    new OutputBudgetConfig(4L << 20, 50, Duration.ofMillis(20), Duration.ofMillis(300)),
                    ctx.getBean(OutputBudgetConfig.class));
            assertEquals(2L << 20, ctx.getBean(OutputBudgetConfig.class).lowWaterBytes());
        }
    }

    @Test
    void invalidValuesFailWithTheSettingNamed() {
        String[][] bad = {
            {"stepcast.output-budget.max-bytes", "1048575", "maxBytes"},
            {"stepcast.output-budget.low-water-percent", "96", "lowWaterPercent"},
            {"stepcast.output-budget.check-interval", "5ms", "check-interval"},
            {"stepcast.output-budget.cut-after", "50ms", "cut-after"}
        };
        for (String[] b : bad) {
            Exception e = assertThrows(
                    Exception.class,
                    () -> {
                        try (ApplicationContext ctx = context(Map.of(b[0], b[1]))) {
                            ctx.getBean(OutputBudgetConfig.class);
                        }
                    },
                    b[0]);
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            assertTrue(all.toString().contains(b[2]), b[0] + ": " + all);
        }
    }
}
