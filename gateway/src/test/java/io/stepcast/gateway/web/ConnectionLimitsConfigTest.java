package io.stepcast.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.stepcast.gateway.ConfigContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding of {@code stepcast.limits}: defaults, overrides, validation. */
class ConnectionLimitsConfigTest {

    private static ApplicationContext context(Map<String, Object> props) {
        return ConfigContext.start(props);
    }

    private static byte[] ip(String literal) {
        return TrustedProxies.bytes(literal);
    }

    @Test
    void defaultsLimitPerSubjectAndAddressAndTrustPrivateRanges() {
        try (ApplicationContext ctx = context(Map.of())) {
            ConnectionLimitsConfig c = ctx.getBean(ConnectionLimitsConfig.class);
            assertEquals(100, c.connectionsPerSubject());
            assertEquals(1000, c.connectionsPerAddress());
            TrustedProxies p = c.proxies();
            for (String trusted : List.of(
                    "127.0.0.1",
                    "::1",
                    "10.1.2.3",
                    "172.31.255.1",
                    "192.168.0.9",
                    "169.254.1.1",
                    "fd00::5",
                    "::ffff:10.0.0.1")) {
                assertTrue(p.contains(ip(trusted)), trusted);
            }
            for (String other : List.of("8.8.8.8", "172.32.0.1", "2001:db8::1", "192.0.2.1")) {
                assertFalse(p.contains(ip(other)), other);
            }
        }
    }

    @Test
    void overridesBindAndNoneTrustsNoProxy() {
        try (ApplicationContext ctx = context(Map.of(
                "stepcast.limits.connections-per-subject",
                "3",
                "stepcast.limits.connections-per-address",
                "0",
                "stepcast.limits.trusted-proxies",
                "192.0.2.0/24,2001:db8::7"))) {
            ConnectionLimitsConfig c = ctx.getBean(ConnectionLimitsConfig.class);
            assertEquals(3, c.connectionsPerSubject());
            assertEquals(0, c.connectionsPerAddress());
            assertTrue(c.proxies().contains(ip("192.0.2.200")));
            assertTrue(c.proxies().contains(ip("2001:db8::7")));
            assertFalse(c.proxies().contains(ip("127.0.0.1")));
        }
        try (ApplicationContext ctx = context(Map.of("stepcast.limits.trusted-proxies", "none"))) {
            assertTrue(ctx.getBean(ConnectionLimitsConfig.class).proxies().isEmpty());
        }
    }

    @Test
    void invalidValuesFailWithTheKeyNamed() {
        // key → value, and the name the error must mention (the key, or the record component)
        Map<String, List<String>> bad = Map.of(
                "stepcast.limits.connections-per-subject", List.of("-1", "connectionsPerSubject"),
                "stepcast.limits.connections-per-address", List.of("-5", "connectionsPerAddress"),
                "stepcast.limits.trusted-proxies", List.of("lb.internal", "trusted-proxies"));
        bad.forEach((key, valueAndName) -> {
            Exception e = assertThrows(
                    Exception.class,
                    () -> {
                        try (ApplicationContext ctx = context(Map.of(key, valueAndName.get(0)))) {
                            ctx.getBean(ConnectionLimitsConfig.class);
                        }
                    },
                    key);
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            String last = key.substring(key.lastIndexOf('.') + 1);
            assertTrue(all.toString().contains(last) || all.toString().contains(valueAndName.get(1)), key + ": " + all);
        });
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of("10.0.0.0/33")));
    }
}
