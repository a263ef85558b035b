package io.stepcast.bridge.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test helper: a real Lettuce pub/sub subscription to session channels, collecting parsed messages. */
final class SessionInbox implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();

    SessionInbox(RedisClient client, String... channels) {
        connection = client.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                try {
                    messages.add(JSON.readTree(message));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        connection.sync().subscribe(channels);
    }

    List<JsonNode> messages() {
        return messages;
    }

    /** The command_result frames with this id. */
    List<JsonNode> results(String commandId) {
        return messages.stream()
                .filter(m -> "command_result".equals(m.path("type").asText())
                        && commandId.equals(m.path("id").asText()))
                .toList();
    }

    @Override
    public void close() {
        connection.close();
    }
}
