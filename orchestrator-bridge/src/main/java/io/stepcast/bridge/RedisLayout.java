package io.stepcast.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one source of truth for Stepcast's layout in Redis: key, channel and stream names.
 *
 * <p>Every key of one plan carries the plan id as a cluster hash tag ({@code {plan}}) so that a plan
 * lives in one Redis Cluster slot and the publish script may touch all of them atomically.
 *
 * <pre>
 *   &lt;prefix&gt;:{&lt;plan&gt;}:meta       hash   epoch, seq, inc, run, rid, at, dur (lost-writes marker)
 *   &lt;prefix&gt;:{&lt;plan&gt;}:log        stream one entry per event, id "&lt;seq&gt;-0", field "f" = frame
 *   &lt;prefix&gt;:{&lt;plan&gt;}:state      string latest snapshot JSON
 *   &lt;prefix&gt;:{&lt;plan&gt;}:eid:&lt;id&gt;  string seq assigned to an idempotency key (event_id)
 *   &lt;prefix&gt;:{&lt;plan&gt;}            channel event frames
 *   &lt;prefix&gt;:{&lt;plan&gt;}:commands   stream client commands (consumer group)
 *   &lt;prefix&gt;:session:&lt;id&gt;       channel direct messages to one client session
 *   &lt;prefix&gt;:{_plans}:index      zset   plan ids by their summary's last_update (epoch ms)
 *   &lt;prefix&gt;:{_plans}:sum        hash   plan id → summary JSON
 *   &lt;prefix&gt;:{_plans}:meta       hash   epoch, seq (last change), run of the plan index
 *   &lt;prefix&gt;:{_plans}:log        stream one entry per index change, id "&lt;seq&gt;-0", field "f"
 *   &lt;prefix&gt;:{_plans}:ids        zset   the index's plan ids, all at score 0 (lexicographic order)
 *   &lt;prefix&gt;:{_plans}            channel index change frames (plan_update, plan_removed)
 * </pre>
 *
 * <p>The plan index lives in one slot ({@code {_plans}}, which no plan tag can equal: plan ids start
 * with {@code [A-Za-z0-9]}); on a standalone Redis the publish script keeps it atomically, on a cluster
 * the publisher upserts it after each summary change (PROTOCOL.md §3.7).
 *
 * <p>Presence (kept by the gateways, all in the slot of {@code {_presence}}, which no plan tag can
 * equal): {@code <prefix>:{_presence}:gateways} (zset, gateway instance id → deadline in ms),
 * {@code <prefix>:{_presence}:gw:<id>} (hash, plan id → that gateway's watchers, {@code ~connections})
 * and {@code <prefix>:{_presence}:total} (hash, the same fields summed over the live gateways).
 *
 * <p>Lost writes: the meta hash also records which Redis process made the plan's last write
 * ({@code run}, {@code rid}, {@code at}) and its durability claim ({@code dur}); the publish script
 * rotates the epoch when Redis came back with less than it may have acknowledged, keeping the
 * incarnation {@code inc} for event-id dedupe (PROTOCOL.md §3.6). All of it lives in the plan's slot.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RedisLayout {

    /** Default key prefix. */
    public static final String DEFAULT_PREFIX = "stepcast";
    /** Key prefixes. */
    public static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Plan ids: no braces, no spaces, at most 128 characters. */
    public static final Pattern PLAN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    /** Length of an epoch. */
    public static final int EPOCH_LENGTH = 12;
    /**
     * Epochs: {@value #EPOCH_LENGTH} characters {@code [a-z0-9]}, drawn by the publisher that creates a
     * plan's meta; the publish script refuses any other candidate, so no plan ever has another epoch.
     */
    public static final Pattern EPOCH = Pattern.compile("[a-z0-9]{" + EPOCH_LENGTH + "}");
    /** Session ids minted by gateways. */
    public static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Idempotency keys (event_id). */
    public static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");
    /** Name of the stream field that holds the event frame in the log. */
    public static final String LOG_FIELD = "f";
    /** Default cap of a plan's log (approximate MAXLEN). */
    public static final long DEFAULT_LOG_MAX_LEN = 10_000;
    /** Default time-to-live of the log and dedupe keys after the last event. */
    public static final Duration DEFAULT_LOG_TTL = Duration.ofHours(24);
    /** Default time-to-live of the meta and state keys after the last event. */
    public static final Duration DEFAULT_META_TTL = Duration.ofDays(30);

    private final String prefix;
    /** Built once: the pub/sub listeners compare every message's channel with it. */
    private final String indexChannel;

    /**
     * @param prefix key prefix, e.g. {@code stepcast}; must not contain braces, spaces or be empty
     */
    public RedisLayout(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix must match [A-Za-z0-9._:-]{1,64}: " + prefix);
        }
        this.prefix = prefix;
        this.indexChannel = prefix + ":" + INDEX_TAG;
    }

    /** The layout with the default prefix {@value #DEFAULT_PREFIX}. */
    public static RedisLayout defaults() {
        return new RedisLayout(DEFAULT_PREFIX);
    }

    public String prefix() {
        return prefix;
    }

    /** True when {@code planId} is a valid plan id (see {@link #PLAN_ID}). */
    public static boolean isValidPlanId(String planId) {
        // the same test as PLAN_ID, without a Matcher: it runs for every message from Redis
        if (planId == null || planId.isEmpty() || planId.length() > 128 || !alphanumeric(planId.charAt(0))) {
            return false;
        }
        for (int i = 1; i < planId.length(); i++) {
            char c = planId.charAt(i);
            if (!alphanumeric(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean alphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** True when {@code epoch} is an epoch as the publish script mints it (see {@link #EPOCH}). */
    public static boolean isValidEpoch(String epoch) {
        return epoch != null && EPOCH.matcher(epoch).matches();
    }

    /** Throws {@link IllegalArgumentException} naming the field when the plan id is invalid. */
    public static String requirePlanId(String planId) {
        if (!isValidPlanId(planId)) {
            throw new IllegalArgumentException("plan_id must match " + PLAN_ID.pattern());
        }
        return planId;
    }

    /** The pub/sub channel of a plan: {@code <prefix>:{<plan>}}. */
    public String channel(String planId) {
        return prefix + ":{" + requirePlanId(planId) + "}";
    }

    public String metaKey(String planId) {
        return channel(planId) + ":meta";
    }

    public String logKey(String planId) {
        return channel(planId) + ":log";
    }

    public String stateKey(String planId) {
        return channel(planId) + ":state";
    }

    public String commandsKey(String planId) {
        return channel(planId) + ":commands";
    }

    /** The hash tag of the plan index's slot. */
    public static final String INDEX_TAG = "{_plans}";

    /** The plan index's change channel: {@code <prefix>:{_plans}}. */
    public String indexChannel() {
        return indexChannel;
    }

    /** The plan index: plan ids scored by their summary's {@code last_update} in epoch ms. */
    public String indexKey() {
        return indexChannel() + ":index";
    }

    /**
     * The index's plan ids, every one at score 0, for {@code ZRANGEBYLEX} by plan-id prefix; the same
     * members as {@link #indexKey()}, kept by the same script calls (missing entries until a repair
     * when the index predates it).
     */
    public String indexIdsKey() {
        return indexChannel() + ":ids";
    }

    /** Plan id → summary JSON. */
    public String indexSummariesKey() {
        return indexChannel() + ":sum";
    }

    /** The index's {@code epoch}, {@code seq} (last change) and {@code run}. */
    public String indexMetaKey() {
        return indexChannel() + ":meta";
    }

    /** The index's change log: id {@code <seq>-0}, field {@value #LOG_FIELD} = change frame. */
    public String indexLogKey() {
        return indexChannel() + ":log";
    }

    /** Prefix of the idempotency keys; the script appends the event id. */
    public String eventIdKeyPrefix(String planId) {
        return channel(planId) + ":eid:";
    }

    /** The direct-message channel of one client session, wherever it is connected. */
    public String sessionChannel(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("session_id must match " + SESSION_ID.pattern());
        }
        return prefix + ":session:" + sessionId;
    }

    /** The hash tag of the presence slot. */
    public static final String PRESENCE_TAG = "{_presence}";

    /** Gateway instance ids of presence (ids minted by gateways at start). */
    public static final Pattern GATEWAY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Presence: the live gateways, scored by their deadline (epoch ms). */
    public String presenceGatewaysKey() {
        return prefix + ":" + PRESENCE_TAG + ":gateways";
    }

    /** Presence: plan id → watchers over all live gateways, {@code ~connections} → connections. */
    public String presenceTotalKey() {
        return prefix + ":" + PRESENCE_TAG + ":total";
    }

    /** Presence: prefix of the per-gateway hashes; the presence script appends the gateway id. */
    public String presenceGatewayKeyPrefix() {
        return prefix + ":" + PRESENCE_TAG + ":gw:";
    }

    /** Presence: one gateway's share (plan id → its watchers, {@code ~connections}). */
    public String presenceGatewayKey(String gatewayId) {
        if (gatewayId == null || !GATEWAY_ID.matcher(gatewayId).matches()) {
            throw new IllegalArgumentException("gateway id must match " + GATEWAY_ID.pattern());
        }
        return presenceGatewayKeyPrefix() + gatewayId;
    }

    /** Prefix shared by every session channel. */
    public String sessionChannelPrefix() {
        return prefix + ":session:";
    }

    /**
     * The plan id of a plan channel name, or {@code null} when {@code channel} is not a plan channel
     * of this layout.
     */
    public String planOfChannel(String channel) {
        if (channel == null || !channel.startsWith(prefix) || channel.length() < prefix.length() + 4) {
            return null;
        }
        int open = prefix.length();
        if (channel.charAt(open) != ':' || channel.charAt(open + 1) != '{' || !channel.endsWith("}")) {
            return null;
        }
        String plan = channel.substring(open + 2, channel.length() - 1);
        return isValidPlanId(plan) ? plan : null;
    }

    /** The session id of a session channel name, or {@code null}. */
    public String sessionOfChannel(String channel) {
        String p = sessionChannelPrefix();
        return channel != null && channel.startsWith(p) ? channel.substring(p.length()) : null;
    }

    /** Stream entry id of the log entry that holds event {@code seq}. */
    public static String logEntryId(long seq) {
        return seq + "-0";
    }

    /** UTF-8 bytes of a key or channel name. */
    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RedisLayout[" + prefix + "]";
    }
}
