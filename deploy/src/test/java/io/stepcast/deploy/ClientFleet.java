package io.stepcast.deploy;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntFunction;

/**
 * Many {@link WatchClient}s against one URL (the load balancer), sharing one HttpClient and a small
 * thread pool, plus the arithmetic that turns their tracks into the counts a system test prints.
 */
final class ClientFleet implements AutoCloseable {

    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final HttpClient http;
    private final List<WatchClient> clients = new ArrayList<>();

    /**
     * @param plansOf the plan ids client i watches
     */
    ClientFleet(URI uri, int count, IntFunction<List<String>> plansOf) {
        this.executor = Executors.newFixedThreadPool(3, r -> daemon(r, "fleet"));
        this.timer = Executors.newScheduledThreadPool(1, r -> daemon(r, "fleet-timer"));
        this.http = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        for (int i = 0; i < count; i++) {
            clients.add(new WatchClient(i, http, uri, timer, plansOf.apply(i)));
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    List<WatchClient> clients() {
        return clients;
    }

    /** Connects every client and waits until each one is subscribed to all its plans. */
    void connectAll(Duration timeout) {
        clients.forEach(WatchClient::start);
        await("every client subscribed")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> clients.stream()
                        .allMatch(
                                c -> c.isOpen() && c.plans().values().stream().allMatch(ClientPlanView::isSubscribed)));
    }

    /** Waits until every client's every plan reached the head its publisher reported. */
    void awaitConverged(Map<String, PlanHead> heads, Duration timeout) {
        await("every client caught up with every plan's head")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> clients.stream()
                        .allMatch(c -> c.plans().values().stream()
                                .allMatch(t -> t.reached(
                                        heads.get(t.planId()).epoch(),
                                        heads.get(t.planId()).seq()))));
    }

    /** A few lines about clients that have not reached their plans' heads, for the build log. */
    List<String> laggards(Map<String, PlanHead> heads, int max) {
        List<String> out = new ArrayList<>();
        for (WatchClient c : clients) {
            for (ClientPlanView t : c.plans().values()) {
                PlanHead h = heads.get(t.planId());
                if (!t.reached(h.epoch(), h.seq()) && out.size() < max) {
                    out.add(c + " plan=" + t.planId() + " cursor=" + t.cursor() + " head=" + h + " open=" + c.isOpen()
                            + " session=" + c.sessionId() + " connects=" + c.connects() + " closes=" + c.closeCodes()
                            + " counts=" + t.counts() + " last-error=" + c.lastError() + " last-error-frame="
                            + c.lastErrorFrame());
                }
            }
        }
        return out;
    }

    /** The counts of all clients, measured against each plan's head. */
    Tally tally(String scenario, Map<String, PlanHead> heads, long eventsPublished) {
        ClientPlanView.Counts sum = ClientPlanView.Counts.zero();
        long lost = 0;
        long expected = 0;
        for (WatchClient c : clients) {
            for (ClientPlanView t : c.plans().values()) {
                PlanHead h = heads.get(t.planId());
                ClientPlanView.Counts k = t.counts();
                sum = sum.plus(k);
                lost += t.lostUpTo(h.epoch(), h.seq());
                expected += h.seq();
            }
        }
        int connects = clients.stream().mapToInt(WatchClient::connects).sum();
        TreeMap<Integer, Integer> codes = new TreeMap<>();
        clients.forEach(c -> c.closeCodes().forEach((code, n) -> codes.merge(code, n.get(), Integer::sum)));
        return new Tally(
                scenario,
                clients.size(),
                heads.size(),
                eventsPublished,
                expected,
                sum.delivered(),
                lost,
                sum.duplicates(),
                sum.resets(),
                sum.recovered(),
                sum.silentEpochChanges(),
                connects - clients.size(),
                clients.stream().mapToInt(WatchClient::closes1012).sum(),
                clients.stream().mapToInt(WatchClient::reconnectFrames).sum(),
                clients.stream().mapToInt(WatchClient::errorFrames).sum(),
                codes);
    }

    @Override
    public void close() {
        clients.forEach(WatchClient::stop);
        timer.shutdownNow();
        executor.shutdownNow();
    }

    /** A plan's last published (epoch, seq), as the publisher reported it. */
    record PlanHead(String epoch, long seq) {}
}
