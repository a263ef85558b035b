package io.stepcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.stepcast.gateway.ops.GatewayLogging;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogRedactionTest {

    /** The production logging setup (tests may run with a logback-test.xml of their own). */
    private static LoggerContext productionContext() {
        LoggerContext context = new LoggerContext();
        GatewayLogging.apply(context, Map.of());
        return context;
    }

    private static final LoggerContext CONTEXT = productionContext();

    private static String render(String message) {
        LoggerContext context = CONTEXT;
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                (ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender(GatewayLogging.APPENDER);
        assertNotNull(appender, "the gateway logging must define the STDOUT appender");
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) appender.getEncoder();
        LoggingEvent event = new LoggingEvent("test", root, Level.INFO, message, null, null);
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void queryTokensAreMasked() {
        String line =
                render("127.0.0.1 - - \"GET /api/plans/p-1/stream?since=3&token=abc.def.ghi&epoch=x HTTP/1.1\" 200");
        assertFalse(line.contains("abc.def.ghi"), line);
        assertTrue(line.contains("token=***"), line);
        assertTrue(line.contains("epoch=x"), line);
    }

    @Test
    void jwtsAndBearerValuesAreMasked() {
        String jwt = TestTokens.hs256("alice", List.of("p-1"), false);
        assertFalse(render("JWT Signature verified: " + jwt).contains(jwt.substring(40)));
        assertFalse(render("Requested subprotocol(s) not supported: stepcast.v2, bearer.opaque-token-value-123")
                .contains("opaque-token-value-123"));
        assertFalse(
                render("Authorization: Bearer publisher-key-0123456789abcdef").contains("0123456789abcdef"));
    }

    @Test
    void ordinaryMessagesPassUnchanged() {
        assertTrue(render("subscribed plan p-42 at seq 17").contains("subscribed plan p-42 at seq 17"));
    }
}
