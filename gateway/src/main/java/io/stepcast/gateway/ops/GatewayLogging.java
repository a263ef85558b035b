package io.stepcast.gateway.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The gateway's logging setup, in code (found by logback through {@code META-INF/services}): one line
 * per event on stdout, key=value pairs, with tokens masked. Configuring in code instead of a
 * {@code logback.xml} keeps logback's XML machinery (a few hundred classes, a SAX parser) off the
 * start-up path.
 *
 * <p>Masking, as a second line of defence (request URIs are never logged): {@code ?token=…} query
 * values, anything shaped like a JWT, and {@code bearer <value>} / {@code bearer.<value>}.
 *
 * <p>Levels: root {@code STEPCAST_LOG_LEVEL} (INFO), the connection open/close lines of logger
 * {@code stepcast.connections} {@code STEPCAST_CONNECTION_LOG_LEVEL} (INFO); Netty and Lettuce at WARN;
 * libraries that print tokens at DEBUG/TRACE ({@code io.micronaut.security}, {@code com.nimbusds}) stay
 * at INFO whatever the root level.
 *
 * <p>A configuration file of your own still wins: with {@code -Dlogback.configurationFile=…}, or a
 * {@code logback.xml} / {@code logback-test.xml} on the classpath, this configurator steps aside and
 * logback reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class GatewayLogging extends ContextAwareBase implements Configurator {

    /** The line layout (the masking regexes are part of it). */
    public static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} "
            + "%replace(%replace(%replace(%msg){'([?&]token=)[^&\\s\"]+', '$1***'})"
            + "{'eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*', '<jwt>'})"
            + "{'(?i)(bearer[ .])[A-Za-z0-9._~+/=-]{8,}', '$1***'}%n";

    /** Name of the stdout appender. */
    public static final String APPENDER = "STDOUT";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = GatewayLogging.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, System.getenv());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Configures {@code context} with the levels read from {@code env}. */
    public static void apply(LoggerContext context, Map<String, String> env) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setEncoder(encoder);
        appender.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(env.get("STEPCAST_LOG_LEVEL"), Level.INFO));
        root.addAppender(appender);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.lettuce").setLevel(Level.WARN);
        context.getLogger("stepcast.connections")
                .setLevel(Level.toLevel(env.get("STEPCAST_CONNECTION_LOG_LEVEL"), Level.INFO));
        context.getLogger("io.micronaut.security").setLevel(Level.INFO);
        context.getLogger("com.nimbusds").setLevel(Level.INFO);
    }
}
