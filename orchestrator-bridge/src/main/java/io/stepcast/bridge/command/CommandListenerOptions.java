package io.stepcast.bridge.command;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Settings of a {@link CommandListener}; start from {@link #defaults()} and use the {@code with...}
 * methods.
 *
 * @param group         consumer group name (default {@value CommandStream#DEFAULT_GROUP}); all orchestrator
 *                      instances of one deployment share it, so each command is handled once
 * @param consumer      this instance's consumer name, unique per live instance and stable across restarts
 *                      of the same instance (default {@code <host>-<pid>})
 * @param block         how long one XREADGROUP blocks; also bounds how long {@link CommandListener#addPlan}
 *                      takes to become effective and how long {@link CommandListener#close()} may wait
 * @param batchSize     entries per read
 * @param claimMinIdle  an entry pending this long with another consumer is presumed abandoned and
 *                      claimed (XAUTOCLAIM); must exceed the longest handler run
 * @param claimInterval how often pending entries of other consumers are examined
 * @param maxAge        commands older than this (by {@code ts}) are answered {@code expired} instead of
 *                      handled; {@link Duration#ZERO} = no limit
 */
public record CommandListenerOptions(
        String group,
        String consumer,
        Duration block,
        int batchSize,
        Duration claimMinIdle,
        Duration claimInterval,
        Duration maxAge) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    public CommandListenerOptions {
        require(group != null && NAME.matcher(group).matches(), "group must match " + NAME.pattern());
        require(consumer != null && NAME.matcher(consumer).matches(), "consumer must match " + NAME.pattern());
        require(positive(block) && block.toMillis() >= 1, "block must be at least 1 ms");
        require(batchSize >= 1 && batchSize <= 10_000, "batchSize must be 1-10000");
        require(positive(claimMinIdle), "claimMinIdle must be positive");
        require(positive(claimInterval), "claimInterval must be positive");
        require(maxAge != null && !maxAge.isNegative(), "maxAge must be zero (no limit) or positive");
    }

    /** group orchestrator, consumer host-pid, block 2 s, batch 64, claim after 60 s idle checked every 15 s, maxAge 10 min. */
    public static CommandListenerOptions defaults() {
        return new CommandListenerOptions(
                CommandStream.DEFAULT_GROUP,
                defaultConsumerName(),
                Duration.ofSeconds(2),
                64,
                Duration.ofSeconds(60),
                Duration.ofSeconds(15),
                Duration.ofMinutes(10));
    }

    public CommandListenerOptions withGroup(String group) {
        return new CommandListenerOptions(group, consumer, block, batchSize, claimMinIdle, claimInterval, maxAge);
    }

    public CommandListenerOptions withConsumer(String consumer) {
        return new CommandListenerOptions(group, consumer, block, batchSize, claimMinIdle, claimInterval, maxAge);
    }

    public CommandListenerOptions withBlock(Duration block) {
        return new CommandListenerOptions(group, consumer, block, batchSize, claimMinIdle, claimInterval, maxAge);
    }

    public CommandListenerOptions withBatchSize(int batchSize) {
        return new CommandListenerOptions(group, consumer, block, batchSize, claimMinIdle, claimInterval, maxAge);
    }

    /** Claim entries of other consumers idle for {@code minIdle}, looking every {@code interval}. */
    public CommandListenerOptions withClaim(Duration minIdle, Duration interval) {
        return new CommandListenerOptions(group, consumer, block, batchSize, minIdle, interval, maxAge);
    }

    public CommandListenerOptions withMaxAge(Duration maxAge) {
        return new CommandListenerOptions(group, consumer, block, batchSize, claimMinIdle, claimInterval, maxAge);
    }

    /** {@code <host>-<pid>}, sanitized to the allowed characters. */
    public static String defaultConsumerName() {
        String runtime = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        int at = runtime.indexOf('@');
        String host = at >= 0 ? runtime.substring(at + 1) : "host";
        String name = (host + "-" + ProcessHandle.current().pid()).replaceAll("[^A-Za-z0-9._:@-]", "_");
        return name.length() > 128 ? name.substring(name.length() - 128) : name;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        return "CommandListenerOptions[group=" + group + ", consumer=" + consumer + ", block=" + block
                + ", batchSize=" + batchSize + ", claimMinIdle=" + claimMinIdle + ", claimInterval=" + claimInterval
                + ", maxAge=" + maxAge + "]";
    }
}
