package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.client.WsFleet;
import io.stepcast.deploy.loadtest.proc.LoadAverage;
import io.stepcast.deploy.loadtest.proc.MachineCpu;
import io.stepcast.deploy.loadtest.proc.ProcStats;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What every scenario shares in one run: options, the run's Redis (one server, or the nodes of a
 * cluster), the client fleet, the time base.
 */
public record RunContext(
        LoadOptions opts, String redisUri, List<Long> redisPids, Path runDir, WsFleet fleet, long timeBase) {

    /** The same run on another Redis (the run's cluster). */
    public RunContext onRedis(String uri, List<Long> pids) {
        return new RunContext(opts, uri, pids, runDir, fleet, timeBase);
    }

    /** Busy CPU seconds of everything that is not the benchmark: machine − server − load generator − Redis. */
    public double foreignCpuSeconds(long serverPid) {
        double redis = 0;
        for (long pid : redisPids) {
            redis += ProcStats.tree(pid).cpuSeconds();
        }
        return MachineCpu.busySeconds()
                - ProcStats.tree(serverPid).cpuSeconds()
                - ProcStats.self().cpuSeconds()
                - redis;
    }

    /** {@code n} connections spread round robin over the plans. */
    public List<Conn> conns(int n, List<PublishedPlan> plans, FleetStats stats) {
        List<Conn> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Conn(i, plans.get(i % plans.size()), stats));
        }
        return out;
    }

    public int connect(SystemUnderTest.Running running, SystemUnderTest sut, List<Conn> conns, int inFlight)
            throws InterruptedException {
        long t0 = System.nanoTime();
        int n = fleet.connectAll("127.0.0.1", running.port(), conns, sut.wire(), inFlight, Duration.ofSeconds(180));
        log("%s: %d/%d connections subscribed in %.1f s", sut.name(), n, conns.size(), (System.nanoTime() - t0) / 1e9);
        return n;
    }

    /**
     * Drain: waits until every subscribed connection has every event issued so far, as long as
     * deliveries keep coming (no progress for {@code stall} ends it), at most {@code max}.
     */
    public boolean drain(Collection<Conn> conns, FleetStats stats, Duration stall, Duration max)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long lastCount = stats.delivered.sum();
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (quiesce(conns, Duration.ofMillis(200))) {
                return true;
            }
            long n = stats.delivered.sum();
            if (n != lastCount) {
                lastCount = n;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                return false;
            }
        }
        return false;
    }

    /** Waits until every subscribed connection has every event issued so far (or the timeout). */
    public boolean quiesce(Collection<Conn> conns, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean done = true;
            for (Conn c : conns) {
                if (c.subscribed() && c.last() < c.plan().issued()) {
                    done = false;
                    break;
                }
            }
            if (done) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    public static void closeAll(Collection<Conn> conns) {
        for (Conn c : conns) {
            if (c.channel() != null) {
                c.channel().close();
            }
        }
    }

    public static String load() {
        return LoadAverage.now().toString();
    }

    public static void log(String fmt, Object... args) {
        System.out.printf("[loadtest] " + fmt + "%n", args);
    }
}
