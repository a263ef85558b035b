package io.stepcast.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import io.stepcast.gateway.http.SseTestClient.SseEvent;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Redis comes back with less than it acknowledged (the reproduction: an older RDB after a
 * {@code kill -9}; an AOF {@code everysec} crash that lost its tail; a replica cut off before the last
 * writes and promoted) and a new publisher process writes events that reuse the lost seqs. A client
 * that read the lost events and resumes over WebSocket, SSE or long-poll gets a reset snapshot of a
 * new epoch, never {@code recovered:true} with the new events under seqs it already holds; a live
 * subscriber ends on the new epoch, every event contiguous after its last snapshot.
 */
class LostWritesResumeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(30);
    private static final String PLAN = "lost-writes-resume";

    enum Loss {
        OLDER_RDB,
        AOF_EVERYSEC_TAIL,
        REPLICA_PROMOTED
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void resumingClientsGetAResetNotTheNewEventsUnderSeqsTheyAlreadyHold(Loss loss) throws Exception {
        RedisProcess.Options options = loss == Loss.AOF_EVERYSEC_TAIL
                ? RedisProcess.Options.defaults()
                        .withAof()
                        .withArgs(
                                "--appendfsync",
                                "everysec",
                                "--aof-load-truncated",
                                "yes",
                                "--aof-use-rdb-preamble",
                                "no")
                : RedisProcess.Options.defaults();
        try (RedisProcess redis = TestRedis.startThrowaway(options);
                RedisProcess replica = loss == Loss.REPLICA_PROMOTED ? TestRedis.startThrowaway() : null;
                TestGateway gw = TestGateway.start(Map.of("stepcast.redis.uri", redis.uri()))) {
            if (replica != null) {
                Resp.call(replica.uri(), "REPLICAOF", "127.0.0.1", Integer.toString(redis.port()));
            }
            String oldEpoch = publish(redis, start(), events("kept", 10)).get(0).epoch(); // seq 1..11
            long aofSize = 0;
            switch (loss) {
                case OLDER_RDB -> Resp.call(redis.uri(), "SAVE");
                case AOF_EVERYSEC_TAIL -> aofSize = Files.size(aofFile(redis));
                case REPLICA_PROMOTED -> {
                    await().atMost(T)
                            .until(() -> "11"
                                    .equals(String.valueOf(
                                            Resp.call(replica.uri(), "HGET", "stepcast:{" + PLAN + "}:meta", "seq"))));
                    Resp.call(replica.uri(), "CLIENT", "KILL", "TYPE", "master");
                    Resp.call(replica.uri(), "REPLICAOF", "NO", "ONE");
                }
            }
            LiveReader live = loss == Loss.REPLICA_PROMOTED ? null : new LiveReader(gw);
            if (live != null) {
                live.readUntil(oldEpoch, 11);
            }
            assertEquals(16, last(publish(redis, events("lost", 5))).seq());
            if (live != null) {
                live.readUntil(oldEpoch, 16);
            }

            RedisProcess now = redis;
            TestGateway target = gw;
            TestGateway promotedGateway = null;
            redis.kill();
            switch (loss) {
                case OLDER_RDB -> redis.start();
                case AOF_EVERYSEC_TAIL -> {
                    try (RandomAccessFile f =
                            new RandomAccessFile(aofFile(redis).toFile(), "rw")) {
                        f.setLength(aofSize + 9); // the unsynced tail is gone, a torn command left
                    }
                    redis.start();
                }
                case REPLICA_PROMOTED -> {
                    now = replica;
                    promotedGateway = TestGateway.start(Map.of("stepcast.redis.uri", replica.uri()));
                    target = promotedGateway;
                }
            }
            try {
                PublishResult head = last(publish(now, events("new", 10)));
                assertEquals(21, head.seq());
                TestGateway reader = target;
                await().atMost(T)
                        .until(
                                () -> { // the gateway is connected to the Redis that came back
                                    HttpResponse<String> fresh = reader.get("/api/plans/" + PLAN + "/events");
                                    return fresh.statusCode() == 200
                                            && JSON.readTree(fresh.body())
                                                            .path("seq")
                                                            .asLong()
                                                    == 21;
                                });

                try (WsClient ws = WsClient.connect(target.wsUri())) {
                    ws.next("connected");
                    ws.send("{\"type\":\"subscribe\",\"plan_id\":\"" + PLAN + "\",\"since\":16,\"epoch\":\"" + oldEpoch
                            + "\"}");
                    JsonNode sub = ws.next("subscribed");
                    assertFalse(sub.path("recovered").asBoolean(), "WebSocket: " + sub);
                    assertEquals(head.epoch(), sub.path("epoch").asText());
                    JsonNode snap = ws.next("snapshot");
                    assertEquals(21, snap.path("state").path("seq").asLong());
                    assertEquals(head.epoch(), snap.path("state").path("epoch").asText());
                }
                try (SseTestClient sse = SseTestClient.open(
                        target.http, target.uri("/api/plans/" + PLAN + "/stream"), "Last-Event-ID", oldEpoch + ":16")) {
                    SseEvent subscribed = sse.nextEvent(T);
                    assertEquals("subscribed", subscribed.event());
                    JsonNode data = JSON.readTree(subscribed.data());
                    assertFalse(data.path("recovered").asBoolean(), "SSE: " + data);
                    assertEquals(head.epoch(), data.path("epoch").asText());
                }
                JsonNode page = JSON.readTree(target.get("/api/plans/" + PLAN + "/events?since=16&epoch=" + oldEpoch)
                        .body());
                assertFalse(page.path("recovered").asBoolean(), "long-poll: " + page);
                assertEquals(head.epoch(), page.path("epoch").asText());
                assertEquals(21, page.path("snapshot").path("seq").asLong());
                assertEquals(0, page.path("events").size());

                assertNotEquals(oldEpoch, head.epoch(), "Redis lost acknowledged writes: the epoch must rotate");
                if (live != null) {
                    live.readUntil(head.epoch(), 21);
                    live.close();
                }
            } finally {
                if (promotedGateway != null) {
                    promotedGateway.close();
                }
            }
        }
    }

    @Test
    void aRestartOfAnAofAlwaysRedisKeepsTheEpochAndEveryTransportResumesWithRecoveredTrue() throws Exception {
        try (RedisProcess redis =
                        TestRedis.startThrowaway(RedisProcess.Options.defaults().withAof());
                TestGateway gw = TestGateway.start(Map.of("stepcast.redis.uri", redis.uri()))) {
            String epoch = publish(redis, start(), events("kept", 10)).get(0).epoch(); // seq 1..11
            redis.kill(); // every acknowledged write was fsynced: nothing is lost
            redis.start();
            PublishResult head = last(publish(redis, events("after", 5)));
            assertEquals(epoch, head.epoch(), "nothing was lost: the epoch stays");
            assertEquals(16, head.seq());
            await().atMost(T).until(() -> {
                HttpResponse<String> fresh = gw.get("/api/plans/" + PLAN + "/events");
                return fresh.statusCode() == 200
                        && JSON.readTree(fresh.body()).path("seq").asLong() == 16;
            });
            try (WsClient ws = WsClient.connect(gw.wsUri())) {
                ws.next("connected");
                ws.send("{\"type\":\"subscribe\",\"plan_id\":\"" + PLAN + "\",\"since\":11,\"epoch\":\"" + epoch
                        + "\"}");
                JsonNode sub = ws.next("subscribed");
                assertEquals(true, sub.path("recovered").asBoolean(), "WebSocket: " + sub);
                for (long seq = 12; seq <= 16; seq++) {
                    assertEquals(seq, ws.next("event").path("seq").asLong());
                }
            }
            try (SseTestClient sse = SseTestClient.open(
                    gw.http, gw.uri("/api/plans/" + PLAN + "/stream"), "Last-Event-ID", epoch + ":11")) {
                JsonNode data = JSON.readTree(sse.nextEvent(T).data());
                assertEquals(true, data.path("recovered").asBoolean(), "SSE: " + data);
                assertEquals(epoch + ":12", sse.nextEvent(T).id());
            }
            JsonNode page = JSON.readTree(gw.get("/api/plans/" + PLAN + "/events?since=11&epoch=" + epoch)
                    .body());
            assertEquals(true, page.path("recovered").asBoolean(), "long-poll: " + page);
            assertEquals(5, page.path("events").size());
        }
    }

    /** A WebSocket subscriber connected through the loss: snapshots reset it, events must follow on. */
    private static final class LiveReader implements AutoCloseable {
        private final WsClient ws;
        private String epoch;
        private long seq;

        LiveReader(TestGateway gw) {
            ws = WsClient.connect(gw.wsUri());
            ws.next("connected");
            ws.send("{\"type\":\"subscribe\",\"plan_id\":\"" + PLAN + "\"}");
        }

        void readUntil(String wantEpoch, long wantSeq) {
            while (!(wantEpoch.equals(epoch) && seq >= wantSeq)) {
                JsonNode n = ws.next();
                switch (n.path("type").asText()) {
                    case "subscribed" -> {
                        epoch = n.path("epoch").isNull()
                                ? null
                                : n.path("epoch").asText();
                        seq = n.path("seq").asLong();
                    }
                    case "snapshot" -> {
                        epoch = n.path("state").path("epoch").asText();
                        seq = n.path("state").path("seq").asLong();
                    }
                    case "event" -> {
                        if (epoch == null) {
                            epoch = n.path("epoch").asText();
                        }
                        assertEquals(epoch, n.path("epoch").asText(), () -> "live: an event of another epoch " + n);
                        assertEquals(
                                seq + 1,
                                n.path("seq").asLong(),
                                () -> "live: gap or duplicate after " + seq + ": " + n);
                        seq++;
                    }
                    default -> {} // heartbeats and notices
                }
            }
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    private static List<PlanEvent> start() {
        return List.of(new PlanStarted("lost writes", List.of("only")).withEventId("start"));
    }

    private static List<PlanEvent> events(String tag, int n) {
        List<PlanEvent> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new StepOutput(0, tag + " " + i).withEventId(tag + i));
        }
        return out;
    }

    /** Each batch by a new publisher, as by a new bridge CLI process. */
    @SafeVarargs
    private static List<PublishResult> publish(RedisProcess redis, List<PlanEvent>... batches) throws Exception {
        List<PublishResult> all = new ArrayList<>();
        for (List<PlanEvent> batch : batches) {
            try (LettuceEventPublisher publisher = LettuceEventPublisher.create(redis.uri())) {
                all.addAll(publisher.publishBatch(PLAN, batch).get());
            }
        }
        return all;
    }

    private static PublishResult last(List<PublishResult> results) {
        return results.get(results.size() - 1);
    }

    private static Path aofFile(RedisProcess redis) throws IOException {
        Path single = redis.dir().resolve("appendonly.aof");
        if (Files.isRegularFile(single)) {
            return single;
        }
        try (Stream<Path> files = Files.walk(redis.dir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".incr.aof"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no AOF in " + redis.dir()));
        }
    }
}
