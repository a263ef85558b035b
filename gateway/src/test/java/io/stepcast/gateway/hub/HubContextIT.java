package io.stepcast.gateway.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandRecord;
import io.stepcast.bridge.command.CommandReplies;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.redis.PlanStore;
import io.stepcast.gateway.redis.RedisHealth;
import io.stepcast.gateway.ws.SessionRouter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hub and the Redis layer as the gateway's Micronaut context wires them. */
class HubContextIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ApplicationContext context;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;

    @BeforeAll
    static void start() {
        String uri = TestRedis.shared().uri();
        context = ApplicationContext.run(Map.of("stepcast.redis.uri", uri));
        client = RedisClient.create(uri);
        redis = client.connect();
        await().atMost(WAIT).until(() -> context.getBean(RedisHealth.class).isUp());
    }

    @AfterAll
    static void stop() {
        redis.close();
        client.shutdown();
        context.close();
    }

    @Test
    void planHubBeanDeliversEventsAndPublishesItsMetrics() {
        PlanHub hub = context.getBean(PlanHub.class);
        assertInstanceOf(DefaultPlanHub.class, hub);
        String plan = Publishing.newPlan("ctx");
        RecordingSubscriber s = new RecordingSubscriber();
        hub.subscribe(s, plan, null);
        await().atMost(WAIT).until(() -> s.lastSubscribed() != null);
        try (Publishing bridge = new Publishing(TestRedis.shared().uri())) {
            bridge.publish(plan, 20);
        }
        PlanHubIT.awaitExactly(s, 20);
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        assertTrue(registry.get("stepcast.redis.channels").gauge().value() >= 1);
        assertTrue(registry.get("stepcast.subscriptions").gauge().value() >= 1);
        assertTrue(registry.get("stepcast.frames.out").counter().count() >= 20);
        assertTrue(registry.get("stepcast.delivery.latency").timer().count() >= 20);
        hub.unsubscribe(s, plan);
        await().atMost(WAIT).until(() -> !redis.sync().pubsubChannels().contains("stepcast:{" + plan + "}"));
    }

    @Test
    void directMessagesReachTheLocalSessionTheyAreAddressedTo() throws Exception {
        SessionIds ids = context.getBean(SessionIds.class);
        SessionRouter router = context.getBean(SessionRouter.class);
        String session = ids.mint();
        assertTrue(session.startsWith(ids.instanceId() + "."));
        assertTrue(RedisLayout.SESSION_ID.matcher(session).matches());
        List<String> received = new CopyOnWriteArrayList<>();
        router.register(session, bytes -> received.add(new String(bytes, StandardCharsets.UTF_8)));
        try (CommandReplies replies = CommandReplies.connect(client, RedisLayout.defaults())) {
            // the PSUBSCRIBE is issued when the connection comes up: retry until a reply lands
            await().atMost(WAIT).until(() -> {
                replies.reply(session, "c-1", Map.of("ok", true)).get(5, TimeUnit.SECONDS);
                return !received.isEmpty();
            });
        }
        assertTrue(received.get(0).contains("\"type\":\"command_result\""), received.get(0));
        assertTrue(received.get(0).contains("\"c-1\""), received.get(0));
        router.unregister(session);
        assertThrows(IllegalArgumentException.class, () -> router.register("other.abc", b -> {}));
    }

    @Test
    void clientCommandsAreAppendedToThePlansCommandStream() throws Exception {
        PlanStore store = context.getBean(PlanStore.class);
        String plan = Publishing.newPlan("cmd");
        CommandRecord command = CommandRecord.of("c-42", "inst.session1", "retry_step", Map.of("step", 2), "alice");
        String id = store.appendCommand(plan, command).get(10, TimeUnit.SECONDS);
        List<StreamMessage<String, String>> entries =
                redis.sync().xrange(RedisLayout.defaults().commandsKey(plan), Range.create("-", "+"));
        assertEquals(1, entries.size());
        assertEquals(id, entries.get(0).getId());
        assertEquals(command, CommandRecord.fromFields(entries.get(0).getBody()));
        assertTrue(redis.sync().ttl(RedisLayout.defaults().commandsKey(plan)) > 0);
    }

    @Test
    void snapshotAndLogReadsSeeTheBridgesLayout() throws Exception {
        PlanStore store = context.getBean(PlanStore.class);
        String plan = Publishing.newPlan("store");
        assertTrue(store.snapshot(plan).get(10, TimeUnit.SECONDS).isEmpty());
        try (Publishing bridge = new Publishing(TestRedis.shared().uri())) {
            bridge.publish(plan, 30);
        }
        var snapshot = store.snapshot(plan).get(10, TimeUnit.SECONDS);
        assertEquals(30, snapshot.seq());
        assertTrue(new String(snapshot.state(), StandardCharsets.UTF_8).contains(plan));
        var page = store.readLog(plan, 10, 5).get(10, TimeUnit.SECONDS);
        assertEquals(snapshot.epoch(), page.epoch());
        assertEquals(30, page.head());
        assertEquals(
                List.of(11L, 12L, 13L, 14L, 15L),
                page.entries().stream().map(e -> e.seq()).toList());
        assertEquals(15, Frames.parse(page.entries().get(4).frame()).seq());
        assertEquals(
                List.of(), store.readLog(plan, 30, 5).get(10, TimeUnit.SECONDS).entries());
    }
}
