package io.stepcast.gateway.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Random subscribe / unsubscribe / unsubscribeAll operations from several threads at once, as many
 * clients coming and going would cause. Each thread owns its subscribers (a connection's own calls
 * are sequential), while different threads hit the same plans concurrently. Remembers what every
 * subscriber should be watching afterwards.
 */
final class RefCountChurn {

    private final PlanHub hub;
    private final int threads;
    private final int operations;
    private final List<String> plans = new ArrayList<>();
    private final List<List<RecordingSubscriber>> subscribers = new ArrayList<>();
    private final Map<RecordingSubscriber, Set<String>> watching = new HashMap<>();

    RefCountChurn(PlanHub hub, int threads, int subscribersPerThread, int planCount, int operations) {
        this.hub = hub;
        this.threads = threads;
        this.operations = operations;
        String run = Publishing.newPlan("rc");
        for (int i = 0; i < planCount; i++) {
            plans.add(run + "-" + i);
        }
        for (int t = 0; t < threads; t++) {
            List<RecordingSubscriber> own = new ArrayList<>();
            for (int i = 0; i < subscribersPerThread; i++) {
                RecordingSubscriber s = new RecordingSubscriber();
                own.add(s);
                watching.put(s, new HashSet<>());
            }
            subscribers.add(own);
        }
    }

    void run() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<RecordingSubscriber> own = subscribers.get(t);
                int share = operations / threads;
                done.add(pool.submit(() -> churn(own, share)));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void churn(List<RecordingSubscriber> own, int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            RecordingSubscriber s = own.get(random.nextInt(own.size()));
            Set<String> mine = watching.get(s); // only this thread touches s's set
            int op = random.nextInt(10);
            String plan = plans.get(random.nextInt(plans.size()));
            if (op < 6) {
                hub.subscribe(s, plan, null);
                mine.add(plan);
            } else if (op < 9) {
                hub.unsubscribe(s, plan);
                mine.remove(plan);
            } else {
                hub.unsubscribeAll(s);
                mine.clear();
            }
        }
    }

    /** The plans some subscriber should still be watching. */
    synchronized Set<String> watchedPlans() {
        Set<String> all = new TreeSet<>();
        watching.values().forEach(all::addAll);
        return all;
    }

    synchronized int subscriptionCount() {
        return watching.values().stream().mapToInt(Set::size).sum();
    }

    void unsubscribeEverything() {
        for (RecordingSubscriber s : watching.keySet()) {
            hub.unsubscribeAll(s);
            watching.get(s).clear();
        }
    }
}
