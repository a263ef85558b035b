package io.stepcast.gateway.redis;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.stepcast.bridge.RedisMode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;

/**
 * The gateway's Redis connection ({@code stepcast.redis.*}).
 *
 * <p>{@code uri} is required: a production gateway never runs without its shared Redis, so a gateway
 * started without it fails at start-up with {@link #MISSING_URI}. The embedded Redis exists only in
 * demo mode (the separate {@code demo} module, {@code --demo}), which sets this property itself.
 *
 * @param uri                  Redis URI, e.g. {@code redis://redis:6379} or {@code rediss://user:pw@host:6380/0}
 *                             (env {@code STEPCAST_REDIS_URI})
 * @param prefix               key prefix shared with the bridge ({@code stepcast})
 * @param connectTimeout       TCP connect timeout of each connection attempt (5 s)
 * @param commandTimeout       timeout of each Redis command on the command connection (5 s)
 * @param mode                 {@code standalone} (default) or {@code cluster}: in cluster mode {@code uri} lists
 *                             seed nodes ({@code redis://[user:pw@]h1:p1,h2:p2}, {@code rediss://} for TLS) and
 *                             plan channels are subscribed per slot owner with SSUBSCRIBE on Redis ≥ 7
 *                             (env {@code STEPCAST_REDIS_MODE})
 * @param reconcileInterval    cluster mode: period of the topology refresh and of the gateway's own check of
 *                             its sharded subscriptions (owner of each plan's slot, live connection, log head
 *                             not ahead of what was delivered) (2 s)
 */
@ConfigurationProperties("stepcast.redis")
public record GatewayRedisConfig(
        @Nullable @NotBlank(message = MISSING_URI) String uri,

        @Bindable(defaultValue = "stepcast") @NotNull @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}")
        String prefix,

        @Bindable(defaultValue = "5s") @NotNull Duration connectTimeout,
        @Bindable(defaultValue = "5s") @NotNull Duration commandTimeout,

        @Bindable(defaultValue = "standalone")
        @NotNull
        @Pattern(regexp = "(?i)standalone|cluster", message = "stepcast.redis.mode must be standalone or cluster")
        String mode,

        @Bindable(defaultValue = "2s") @NotNull Duration reconcileInterval) {

    /** {@link #mode()} as an enum. */
    public RedisMode redisMode() {
        return RedisMode.parse(mode);
    }

    /** Validates what annotations cannot express. */
    public GatewayRedisConfig {
        if (reconcileInterval != null && (reconcileInterval.isNegative() || reconcileInterval.toMillis() < 100)) {
            throw new IllegalArgumentException(
                    "stepcast.redis.reconcile-interval must be at least 100ms, was " + reconcileInterval);
        }
    }

    /** The start-up failure message of a gateway without a Redis URI. */
    public static final String MISSING_URI = "stepcast.redis.uri is not set: a Stepcast gateway needs its shared "
            + "Redis (set stepcast.redis.uri or the environment variable STEPCAST_REDIS_URI, e.g. "
            + "redis://localhost:6379). For a local try-out without Redis, run demo mode (embedded Redis and a "
            + "simulated orchestrator, not part of the gateway jar): ./mvnw -pl deploy/demo -am -Pdemo package, or "
            + "java -jar deploy/demo/target/demo-<version>.jar --demo.";
}
