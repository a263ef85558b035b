package io.stepcast.deploy.loadtest.scenario;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.publish.EventSource;
import io.stepcast.deploy.loadtest.sut.StepcastGateway;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Presence upkeep's Redis load (Stepcast only; run when named): one gateway with the default
 * heartbeat (5 s) holds {@code --idle-connections} subscribed connections spread over
 * {@code --idle-plans} plans, and Redis's own counters ({@code INFO commandstats}, {@code INFO
 * stats}, reset with {@code CONFIG RESETSTAT}) are read over two windows: the ramp (connecting, until
 * two heartbeats after the last connection: the deltas that register every plan; its byte counts
 * include every SUBSCRIBE and snapshot read of the connections) and an idle window of twelve
 * heartbeats (nothing changes: what presence costs per gateway at rest; the idle gateway sends
 * nothing else, the event source is closed, and only the ~60 bytes of this scenario's two INFO calls
 * are added). Presence scripts are counted by their one {@code TIME} call each. Also the memory of
 * the presence keys.
 */
public final class PresenceScenario {

    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final int IDLE_HEARTBEATS = 12;

    private PresenceScenario() {}

    public static Map<String, Object> run(RunContext ctx, StepcastGateway gateway) throws Exception {
        LoadOptions o = ctx.opts();
        RedisLayout layout = RedisLayout.defaults();
        StepcastGateway sut = gateway.with("--stepcast.presence.heartbeat=" + HEARTBEAT.toSeconds() + "s");
        RedisClient client = RedisClient.create(ctx.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
                SystemUnderTest.Running running = sut.start(ctx.redisUri(), ctx.runDir(), "presence")) {
            RedisCommands<String, String> redis = connection.sync();
            List<PublishedPlan> plans = new ArrayList<>();
            for (int i = 0; i < o.idlePlans(); i++) {
                plans.add(new PublishedPlan("presence-" + i));
            }
            try (EventSource src = sut.events(ctx.redisUri())) { // closed: its own Redis calls stop
                src.prepare(plans, Duration.ofSeconds(60));
            }
            Thread.sleep(HEARTBEAT.multipliedBy(2).toMillis()); // registered, nothing pending
            List<Conn> conns = ctx.conns(o.idleConnections(), plans, new FleetStats(ctx.timeBase()));
            try {
                redis.configResetstat();
                long t0 = System.nanoTime();
                int n = ctx.connect(running, sut, conns, o.connectInFlight());
                Thread.sleep(HEARTBEAT.multipliedBy(2).toMillis());
                Map<String, Object> ramp = window(redis, (System.nanoTime() - t0) / 1e9);
                String total = redis.hget(layout.presenceTotalKey(), "~connections");
                List<String> ids = redis.zrange(layout.presenceGatewaysKey(), 0, -1);
                Map<String, Object> memory = new LinkedHashMap<>();
                memory.put("total_hash_bytes", redis.memoryUsage(layout.presenceTotalKey()));
                memory.put("total_hash_fields", redis.hlen(layout.presenceTotalKey()));
                if (!ids.isEmpty()) {
                    memory.put("gateway_hash_bytes", redis.memoryUsage(layout.presenceGatewayKey(ids.get(0))));
                }
                redis.configResetstat();
                long t1 = System.nanoTime();
                Thread.sleep(HEARTBEAT.multipliedBy(IDLE_HEARTBEATS).toMillis());
                Map<String, Object> idle = window(redis, (System.nanoTime() - t1) / 1e9);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("connections", n);
                r.put("plans", plans.size());
                r.put("heartbeat_s", HEARTBEAT.toSeconds());
                r.put("presence_connections_total", total);
                r.put("gateways", ids.size());
                r.put("ramp", ramp);
                r.put("idle", idle);
                r.put("memory", memory);
                r.put("load", RunContext.load());
                RunContext.log(
                        "presence: %d connections over %d plans: ramp %s; idle %s; memory %s; load %s",
                        n, plans.size(), ramp, idle, memory, r.get("load"));
                return r;
            } finally {
                RunContext.closeAll(conns);
            }
        } finally {
            client.shutdown();
        }
    }

    /** Redis's counters since the last CONFIG RESETSTAT, over {@code seconds}. */
    private static Map<String, Object> window(RedisCommands<String, String> redis, double seconds) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("seconds", Math.round(seconds * 10) / 10.0);
        Map<String, String> commands = new LinkedHashMap<>();
        long calls = 0;
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring(8, line.indexOf(':'));
                String stats = line.substring(line.indexOf(':') + 1);
                commands.put(name, stats);
                if (!name.startsWith("info") && !name.startsWith("config")) {
                    calls += field(stats, "calls");
                }
            }
        }
        String stats = redis.info("stats"); // one call: the two INFO requests add ~60 bytes to "in"
        long in = field(stats, "total_net_input_bytes");
        long out = field(stats, "total_net_output_bytes");
        // every presence script calls TIME exactly once; no other gateway call does (the plan reads
        // are scripts too, so EVALSHA's own count mixes both)
        long scripts = field(commands.getOrDefault("time", ""), "calls");
        w.put("presence_scripts", scripts);
        w.put("presence_field_changes", field(commands.getOrDefault("hincrby", ""), "calls") / 2);
        w.put("commands_per_s_incl_inside_scripts", Math.round(calls / seconds * 10) / 10.0);
        w.put("evalsha_usec_per_call", field(commands.getOrDefault("evalsha", ""), "usec_per_call"));
        w.put("net_in_bytes", in);
        w.put("net_out_bytes", out);
        if (scripts > 0) {
            w.put("net_in_bytes_per_presence_script", in / scripts);
            w.put("net_out_bytes_per_presence_script", out / scripts);
        }
        w.put("commandstats", commands);
        return w;
    }

    /** The number after {@code name=} or {@code name:} in an INFO text. */
    private static long field(String text, String name) {
        for (String sep : new String[] {name + "=", name + ":"}) {
            int i = text.indexOf(sep);
            if (i >= 0) {
                int from = i + sep.length();
                int to = from;
                while (to < text.length() && (Character.isDigit(text.charAt(to)) || text.charAt(to) == '.')) {
                    to++;
                }
                return (long) Double.parseDouble(text.substring(from, to));
            }
        }
        return 0;
    }
}
