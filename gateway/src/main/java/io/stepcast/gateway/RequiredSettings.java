package io.stepcast.gateway;

import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;
import io.stepcast.gateway.auth.AuthConfig;
import io.stepcast.gateway.redis.GatewayRedisConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings a production gateway cannot start without (its Redis, and a key to verify client
 * tokens unless authentication is switched off), checked before the application context starts so
 * that an unconfigured start ends with one paragraph naming every missing setting, not with the first
 * failing bean and its dependency-injection stack trace.
 *
 * <p>It reads the same property sources the context binds ({@code application.yml}, system
 * properties, environment variables, command-line arguments) and applies the rules of the
 * configuration records themselves ({@link AuthConfig#problems()}, {@link GatewayRedisConfig}); the
 * records still validate everything again when the context starts.
 */
final class RequiredSettings {

    private RequiredSettings() {}

    /** Everything missing or unusable among the required settings, in the order of the paragraph. */
    static List<String> problems(PropertyResolver properties) {
        List<String> problems = new ArrayList<>();
        String redisUri = properties.get("stepcast.redis.uri", String.class).orElse("");
        if (redisUri.isBlank()) {
            problems.add("no Redis: set stepcast.redis.uri (env STEPCAST_REDIS_URI), e.g. redis://localhost:6379");
        }
        AuthConfig auth = new AuthConfig(
                properties.get("stepcast.auth.enabled", Boolean.class).orElse(true),
                properties.get("stepcast.auth.hs256-secret", String.class).orElse(null),
                properties.get("stepcast.auth.jwks-url", String.class).orElse(null),
                properties.get("stepcast.auth.issuer", String.class).orElse(null),
                properties
                        .get("stepcast.auth.allowed-origins", Argument.listOf(String.class))
                        .orElse(null),
                properties
                        .get("stepcast.auth.publisher-keys", Argument.listOf(String.class))
                        .orElse(null),
                properties.get("stepcast.auth.clock-skew", Duration.class).orElse(null));
        problems.addAll(auth.problems());
        return problems;
    }

    /** The one paragraph printed for {@code problems} (not empty). */
    static String paragraph(List<String> problems) {
        StringBuilder b = new StringBuilder("Stepcast gateway cannot start: ")
                .append(problems.size() == 1 ? "1 setting is" : problems.size() + " settings are")
                .append(" missing or invalid. ");
        for (int i = 0; i < problems.size(); i++) {
            b.append('(').append(i + 1).append(") ").append(problems.get(i)).append(". ");
        }
        return b.append("Set them in application.yml, as -Dkey=value or as environment variables"
                        + " (every setting: docs/configuration.md). To try Stepcast without Redis or auth settings,"
                        + " run the demo instead (embedded Redis, simulated orchestrator, auth off):"
                        + " java -jar deploy/demo/target/demo-<version>.jar --demo,"
                        + " or ./mvnw -pl deploy/demo -am -Pdemo -DskipTests package.")
                .toString();
    }
}
