package io.stepcast.demo;

import io.lettuce.core.RedisClient;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.demo.DemoOptions;
import io.stepcast.bridge.demo.DemoOrchestrator;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated orchestrator of demo mode: the bridge's {@link DemoOrchestrator}, running in-process
 * and publishing into the embedded Redis through a {@link LettuceEventPublisher}, exactly as a real
 * orchestrator would; it also answers the demo plans' client commands ({@code cancel}, {@code retry},
 * {@code status}).
 *
 * <p>{@link #close()} stops the simulation, then the publisher (delivering what it buffered), then the
 * command client.
 */
final class DemoSimulation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoSimulation.class);
    static final String PLAN_PREFIX = "demo-";

    private final LettuceEventPublisher publisher;
    private final DemoOrchestrator orchestrator;
    private final RedisClient commandClient;

    private DemoSimulation(LettuceEventPublisher publisher, DemoOrchestrator orchestrator, RedisClient commandClient) {
        this.publisher = publisher;
        this.orchestrator = orchestrator;
        this.commandClient = commandClient;
    }

    static DemoSimulation start(String redisUri, int plans) {
        LettuceEventPublisher publisher = LettuceEventPublisher.create(redisUri);
        DemoOrchestrator orchestrator = null;
        RedisClient client = null;
        try {
            orchestrator = DemoOrchestrator.start(
                    publisher, DemoOptions.defaults().withPlans(plans).withPlanPrefix(PLAN_PREFIX));
            client = RedisClient.create(redisUri);
            orchestrator.listenForCommands(client, RedisLayout.defaults());
            return new DemoSimulation(publisher, orchestrator, client);
        } catch (RuntimeException e) {
            if (orchestrator != null) {
                orchestrator.close();
            }
            if (client != null) {
                client.shutdown();
            }
            publisher.close();
            throw e;
        }
    }

    /** The ids of {@code count} demo plans: {@code demo-1}, {@code demo-2}, ... */
    static List<String> planIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(PLAN_PREFIX + i);
        }
        return ids;
    }

    List<String> planIds() {
        return orchestrator.planIds();
    }

    /** Events Redis acknowledged so far. */
    long published() {
        return orchestrator.publishedCount();
    }

    @Override
    public void close() {
        try {
            orchestrator.close();
        } catch (RuntimeException e) {
            LOG.warn("demo orchestrator did not stop cleanly: {}", e.toString());
        }
        publisher.close();
        commandClient.shutdown();
    }
}
