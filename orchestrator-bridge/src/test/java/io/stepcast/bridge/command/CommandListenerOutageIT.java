package io.stepcast.bridge.command;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class CommandListenerOutageIT {

    @Test
    void listenerResumesAfterRedisIsKilledAndRestartedEmpty() {
        Set<String> handled = ConcurrentHashMap.newKeySet();
        RedisLayout layout = RedisLayout.defaults();
        try (RedisProcess redis = TestRedis.startThrowaway()) {
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> gateway = client.connect();
                    CommandReplies replies = CommandReplies.connect(client, layout);
                    CommandListener listener = CommandListener.start(
                            client,
                            layout,
                            List.of("p1"),
                            cmd -> {
                                handled.add(cmd.command().id());
                                return CommandOutcome.ok(null);
                            },
                            replies,
                            CommandListenerOptions.defaults().withConsumer("o1").withBlock(Duration.ofMillis(200)))) {
                CommandStream.append(gateway.async(), layout, "p1", CommandRecord.of("c-1", "s1", "cancel", null, null))
                        .join();
                await().until(() -> handled.contains("c-1"));

                redis.kill();
                redis.start(); // same port, no persistence: stream and group are gone

                CommandStream.append(
                                gateway.async(), layout, "p1", CommandRecord.of("c-2", "s1", "cancel", Map.of(), null))
                        .join();
                await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains("c-2"));
            } finally {
                client.shutdown();
            }
        }
    }
}
