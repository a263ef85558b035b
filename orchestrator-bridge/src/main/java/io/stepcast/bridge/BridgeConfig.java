package io.stepcast.bridge;

import java.time.Duration;

/**
 * Settings of the orchestrator bridge's publisher. Immutable; build with {@link #builder()}.
 *
 * @param prefix               Redis key prefix ({@link RedisLayout})
 * @param logMaxLen            approximate cap of a plan's log stream ({@code XADD MAXLEN ~})
 * @param logTtl               time-to-live of the log after the plan's last event
 * @param metaTtl              time-to-live of the meta hash and the snapshot after the last event
 * @param eventIdTtl           how long an {@code event_id} is remembered for deduplication; every
 *                             event carries one (auto-assigned if the caller gave none), so this
 *                             costs one small key per event for this long
 * @param outputTailBytes      bytes of step output kept per step in the snapshot (UTF-8 safe cut)
 * @param maxDataBytes         maximum serialized size of one event's {@code data}
 * @param retryBufferCapacity  maximum events accepted but not yet acknowledged by Redis (queued,
 *                             in flight or waiting for a retry), over all plans; beyond it publish
 *                             fails fast with {@link PublishRejectedException}
 * @param retryBufferMaxBytes  the same bound in bytes of serialized data
 * @param maxBatchEvents       most events sent in one script call when queued events of one plan are
 *                             coalesced (an explicit batch is never split)
 * @param backoffMin           first retry delay after a failure (doubles per consecutive failure)
 * @param backoffMax           longest retry delay
 * @param commandTimeout       how long one script call may take before it counts as failed (and is
 *                             retried with the same event ids)
 * @param closeTimeout         how long {@code close()} waits for buffered events to be delivered
 * @param redisMode            {@link RedisMode#STANDALONE} (default) or {@link RedisMode#CLUSTER}: how the
 *                             Redis URI is read (one server, or seed nodes of a cluster)
 * @param waitReplicas         0 (default): a publish is acknowledged when its master applied it. N &gt; 0:
 *                             only after {@code WAIT N} on the plan's master confirmed that N replicas
 *                             have it too (a failover then cannot lose it); a WAIT that times out with
 *                             fewer replicas counts as a transient failure and the call is retried
 *                             (idempotent by event id)
 * @param waitTimeout          how long one {@code WAIT} may block on the master
 * @param tls                  PEM files for a {@code rediss://} URI (CA to trust, client certificate and
 *                             key); {@link RedisTls#NONE} (default): JVM trust store, no client certificate
 */
public record BridgeConfig(
        String prefix,
        long logMaxLen,
        Duration logTtl,
        Duration metaTtl,
        Duration eventIdTtl,
        int outputTailBytes,
        int maxDataBytes,
        int retryBufferCapacity,
        long retryBufferMaxBytes,
        int maxBatchEvents,
        Duration backoffMin,
        Duration backoffMax,
        Duration commandTimeout,
        Duration closeTimeout,
        RedisMode redisMode,
        int waitReplicas,
        Duration waitTimeout,
        RedisTls tls) {

    /** Validates every field; throws {@link EventValidationException} naming the field. */
    public BridgeConfig {
        if (prefix == null || !RedisLayout.PREFIX.matcher(prefix).matches()) {
            throw new EventValidationException("prefix", "must match " + RedisLayout.PREFIX.pattern());
        }
        positive("logMaxLen", logMaxLen);
        positive("logTtl", logTtl);
        positive("metaTtl", metaTtl);
        positive("eventIdTtl", eventIdTtl);
        if (outputTailBytes < 0) {
            throw new EventValidationException("outputTailBytes", "must be >= 0");
        }
        positive("maxDataBytes", maxDataBytes);
        positive("retryBufferCapacity", retryBufferCapacity);
        positive("retryBufferMaxBytes", retryBufferMaxBytes);
        positive("maxBatchEvents", maxBatchEvents);
        positive("backoffMin", backoffMin);
        positive("backoffMax", backoffMax);
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new EventValidationException("backoffMax", "must be >= backoffMin");
        }
        positive("commandTimeout", commandTimeout);
        if (closeTimeout == null || closeTimeout.isNegative()) {
            throw new EventValidationException("closeTimeout", "must be >= 0");
        }
        if (redisMode == null) {
            throw new EventValidationException("redisMode", "is required (standalone or cluster)");
        }
        if (waitReplicas < 0 || waitReplicas > 16) {
            throw new EventValidationException("waitReplicas", "must be 0..16, was " + waitReplicas);
        }
        positive("waitTimeout", waitTimeout);
        if (waitReplicas > 0 && waitTimeout.compareTo(commandTimeout) >= 0) {
            throw new EventValidationException(
                    "waitTimeout",
                    "must be shorter than commandTimeout (" + commandTimeout
                            + ") so a WAIT is answered before the command times out");
        }
        if (tls == null) {
            throw new EventValidationException("tls", "is required (RedisTls.NONE for none)");
        }
    }

    /** The defaults: see {@link Builder}. */
    public static BridgeConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.prefix = prefix;
        b.logMaxLen = logMaxLen;
        b.logTtl = logTtl;
        b.metaTtl = metaTtl;
        b.eventIdTtl = eventIdTtl;
        b.outputTailBytes = outputTailBytes;
        b.maxDataBytes = maxDataBytes;
        b.retryBufferCapacity = retryBufferCapacity;
        b.retryBufferMaxBytes = retryBufferMaxBytes;
        b.maxBatchEvents = maxBatchEvents;
        b.backoffMin = backoffMin;
        b.backoffMax = backoffMax;
        b.commandTimeout = commandTimeout;
        b.closeTimeout = closeTimeout;
        b.redisMode = redisMode;
        b.waitReplicas = waitReplicas;
        b.waitTimeout = waitTimeout;
        b.tls = tls;
        return b;
    }

    /** The Redis layout of {@link #prefix()}. */
    public RedisLayout layout() {
        return new RedisLayout(prefix);
    }

    private static void positive(String field, long value) {
        if (value <= 0) {
            throw new EventValidationException(field, "must be > 0, was " + value);
        }
    }

    private static void positive(String field, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new EventValidationException(field, "must be a positive duration, was " + value);
        }
    }

    /** Builder with defaults matching {@link RedisLayout} and PROTOCOL.md. Not thread-safe. */
    public static final class Builder {
        private String prefix = RedisLayout.DEFAULT_PREFIX;
        private long logMaxLen = RedisLayout.DEFAULT_LOG_MAX_LEN;
        private Duration logTtl = RedisLayout.DEFAULT_LOG_TTL;
        private Duration metaTtl = RedisLayout.DEFAULT_META_TTL;
        private Duration eventIdTtl = RedisLayout.DEFAULT_LOG_TTL;
        private int outputTailBytes = 4096;
        private int maxDataBytes = 1 << 20;
        private int retryBufferCapacity = 10_000;
        private long retryBufferMaxBytes = 64L << 20;
        private int maxBatchEvents = 256;
        private Duration backoffMin = Duration.ofMillis(50);
        private Duration backoffMax = Duration.ofSeconds(5);
        private Duration commandTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private RedisMode redisMode = RedisMode.STANDALONE;
        private int waitReplicas;
        private Duration waitTimeout = Duration.ofSeconds(2);
        private RedisTls tls = RedisTls.NONE;

        private Builder() {}

        public Builder prefix(String v) {
            prefix = v;
            return this;
        }

        public Builder logMaxLen(long v) {
            logMaxLen = v;
            return this;
        }

        public Builder logTtl(Duration v) {
            logTtl = v;
            return this;
        }

        public Builder metaTtl(Duration v) {
            metaTtl = v;
            return this;
        }

        public Builder eventIdTtl(Duration v) {
            eventIdTtl = v;
            return this;
        }

        public Builder outputTailBytes(int v) {
            outputTailBytes = v;
            return this;
        }

        public Builder maxDataBytes(int v) {
            maxDataBytes = v;
            return this;
        }

        public Builder retryBufferCapacity(int v) {
            retryBufferCapacity = v;
            return this;
        }

        public Builder retryBufferMaxBytes(long v) {
            retryBufferMaxBytes = v;
            return this;
        }

        public Builder maxBatchEvents(int v) {
            maxBatchEvents = v;
            return this;
        }

        public Builder backoffMin(Duration v) {
            backoffMin = v;
            return this;
        }

        public Builder backoffMax(Duration v) {
            backoffMax = v;
            return this;
        }

        public Builder commandTimeout(Duration v) {
            commandTimeout = v;
            return this;
        }

        public Builder closeTimeout(Duration v) {
            closeTimeout = v;
            return this;
        }

        public Builder redisMode(RedisMode v) {
            redisMode = v;
            return this;
        }

        public Builder waitReplicas(int v) {
            waitReplicas = v;
            return this;
        }

        public Builder waitTimeout(Duration v) {
            waitTimeout = v;
            return this;
        }

        /** PEM files for TLS ({@code rediss://}); see {@link RedisTls}. */
        public Builder tls(RedisTls v) {
            tls = v;
            return this;
        }

        public BridgeConfig build() {
            return new BridgeConfig(
                    prefix,
                    logMaxLen,
                    logTtl,
                    metaTtl,
                    eventIdTtl,
                    outputTailBytes,
                    maxDataBytes,
                    retryBufferCapacity,
                    retryBufferMaxBytes,
                    maxBatchEvents,
                    backoffMin,
                    backoffMax,
                    commandTimeout,
                    closeTimeout,
                    redisMode,
                    waitReplicas,
                    waitTimeout,
                    tls);
        }
    }
}
