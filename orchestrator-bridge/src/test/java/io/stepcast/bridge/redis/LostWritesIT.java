package io.stepcast.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.bridge.testing.TestRedis;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Redis coming back with less than it acknowledged (older RDB, AOF everysec tail lost, a promoted
 * replica that missed the last writes) rotates the plan's epoch at the next publish, whichever
 * publisher makes it; a restart that provably lost nothing (AOF always, claimed by the publisher)
 * keeps it. Every batch is published by a new publisher, as by a new bridge process.
 */
class LostWritesIT {

    private static final String PLAN = "lost-writes";

    @Test
    void anOlderRdbAfterAKillRotatesTheEpochAndKeepsSeqSnapshotAndDedupe() throws Exception {
        try (RedisProcess redis = TestRedis.startThrowaway(RedisProcess.Options.defaults())) {
            String epoch = publish(redis, start(), events("a", 10)).get(0).epoch();
            Resp.call(redis.uri(), "SAVE");
            assertEquals(16, last(publish(redis, events("lost", 5))).seq());
            redis.kill();
            redis.start();
            assertEquals("11", meta(redis, "seq"));

            List<PublishResult> after = publish(redis, events("b", 10));
            assertNotEquals(epoch, after.get(0).epoch(), "the epoch must rotate after lost writes");
            assertEquals(12, after.get(0).seq(), "seq continues from what survived");
            assertTrue(state(redis).contains("\"epoch\":\"" + after.get(0).epoch() + "\""));
            assertTrue(state(redis).contains("\"seq\":21"));
            PublishResult again = publish(redis, List.of(new StepOutput(0, "a3").withEventId("a3")))
                    .get(0);
            assertTrue(again.duplicate(), "an event id that survived is still a duplicate after the rotation");
            assertEquals(4, again.seq());
        }
    }

    @Test
    void anAofEverysecCrashThatLostItsTailRotatesTheEpoch() throws Exception {
        RedisProcess.Options everysec = RedisProcess.Options.defaults()
                .withAof()
                .withArgs("--appendfsync", "everysec", "--aof-load-truncated", "yes", "--aof-use-rdb-preamble", "no");
        try (RedisProcess redis = TestRedis.startThrowaway(everysec)) {
            String epoch = publish(redis, start(), events("a", 10)).get(0).epoch();
            Path aof = aofFile(redis);
            // everysec may postpone the write(2) of acknowledged commands while an fsync is slow (a busy
            // disk): measure the file only once Redis holds nothing unwritten
            awaitAofWritten(redis);
            long survived = Files.size(aof);
            publish(redis, events("lost", 5));
            awaitAofWritten(redis);
            assertTrue(Files.size(aof) > survived + 7, "the lost batch reached the file before the kill");
            redis.kill();
            try (RandomAccessFile f = new RandomAccessFile(aof.toFile(), "rw")) {
                f.setLength(survived + 7); // the unsynced tail is gone, a torn command left behind
            }
            redis.start();
            assertEquals("11", meta(redis, "seq"));
            assertNotEquals(epoch, publish(redis, events("b", 1)).get(0).epoch());
        }
    }

    @Test
    void aPromotedReplicaThatMissedTheLastWritesRotatesTheEpochEvenWithAofAlways() throws Exception {
        try (RedisProcess primary =
                        TestRedis.startThrowaway(RedisProcess.Options.defaults().withAof());
                RedisProcess replica = TestRedis.startThrowaway(RedisProcess.Options.defaults())) {
            Resp.call(replica.uri(), "REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
            String epoch = publish(primary, start(), events("a", 10)).get(0).epoch();
            Awaitility.await().until(() -> "11".equals(meta(replica, "seq")));
            Resp.call(replica.uri(), "CLIENT", "KILL", "TYPE", "master");
            Resp.call(replica.uri(), "REPLICAOF", "NO", "ONE"); // cut off before the last writes, promoted
            publish(primary, events("lost", 5));
            primary.kill();
            assertEquals("11", meta(replica, "seq"));
            assertNotEquals(epoch, publish(replica, events("b", 1)).get(0).epoch());
        }
    }

    @Test
    void aRestartThatProvablyLostNothingKeepsTheEpoch() throws Exception {
        try (RedisProcess redis =
                TestRedis.startThrowaway(RedisProcess.Options.defaults().withAof())) {
            String epoch = publish(redis, start(), events("a", 10)).get(0).epoch();
            redis.kill(); // AOF always: every acknowledged write was fsynced
            redis.start();
            assertEquals(epoch, publish(redis, events("b", 1)).get(0).epoch());
            redis.stop();
            redis.start();
            PublishResult r = publish(redis, events("c", 1)).get(0);
            assertEquals(epoch, r.epoch());
            assertEquals(13, r.seq());
        }
    }

    static List<PlanEvent> start() {
        return List.of(new PlanStarted("lost writes", List.of("only")).withEventId("start"));
    }

    static List<PlanEvent> events(String tag, int n) {
        List<PlanEvent> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new StepOutput(0, tag + i).withEventId(tag + i));
        }
        return out;
    }

    @SafeVarargs
    static List<PublishResult> publish(RedisProcess redis, List<PlanEvent>... batches) throws Exception {
        List<PublishResult> all = new ArrayList<>();
        for (List<PlanEvent> batch : batches) {
            try (LettuceEventPublisher publisher = LettuceEventPublisher.create(redis.uri())) {
                all.addAll(publisher.publishBatch(PLAN, batch).get());
            }
        }
        return all;
    }

    static PublishResult last(List<PublishResult> results) {
        return results.get(results.size() - 1);
    }

    static String meta(RedisProcess redis, String field) throws IOException {
        Object v = Resp.call(redis.uri(), "HGET", RedisLayout.defaults().metaKey(PLAN), field);
        return v == null ? null : v.toString();
    }

    static String state(RedisProcess redis) throws IOException {
        return String.valueOf(
                Resp.call(redis.uri(), "GET", RedisLayout.defaults().stateKey(PLAN)));
    }

    /** Waits until Redis has handed every acknowledged write to the AOF file (its AOF buffer is empty). */
    static void awaitAofWritten(RedisProcess redis) {
        Awaitility.await()
                .until(() -> String.valueOf(Resp.call(redis.uri(), "INFO", "persistence"))
                        .lines()
                        .anyMatch("aof_buffer_length:0"::equals));
    }

    /** The file the writes go to: appendonly.aof (Redis 6) or the incremental file (Redis 7). */
    static Path aofFile(RedisProcess redis) throws IOException {
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
