package io.stepcast.deploy.loadtest.publish;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

/**
 * Publishes as {@code @socket.io/redis-emitter} 5.x does for {@code io.to(room).emit("event", frame)}:
 * one PUBLISH on {@code socket.io#/#<room>#} of the MessagePack array
 * {@code ["emitter", {type: 2, data: ["event", frame], nsp: "/"}, {rooms: [room], flags: {}, except: []}]},
 * which every server's {@code @socket.io/redis-adapter} decodes and broadcasts to the room. The
 * frame is the same event object Stepcast clients receive, numbered here (one publisher per room).
 */
public final class EmitterSource extends AsyncEventSource {

    /** The emitter's uid: the adapter ignores messages of its own uid only. */
    static final String UID = "emitter";

    static final String EPOCH = "loadtest0000";
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;

    public EmitterSource(String redisUri) {
        client = RedisClient.create(redisUri);
        connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    @Override
    public void prepare(Collection<PublishedPlan> plans, Duration timeout) {
        for (PublishedPlan p : plans) {
            p.epoch(EPOCH);
        }
    }

    @Override
    public void publish(PublishedPlan plan, long publishedRel) {
        long seq = plan.nextSeq();
        byte[] msg = message(plan.plan(), seq, EPOCH, TS.format(Instant.now()), EventSource.chunk(publishedRel));
        started();
        connection
                .async()
                .publish(("socket.io#/#" + plan.plan() + "#").getBytes(StandardCharsets.UTF_8), msg)
                .whenComplete((n, e) -> {
                    if (e != null) {
                        failed(() -> "emitter publish failed: " + e);
                    }
                    finished();
                });
    }

    /** The emitter's message for one {@code step_output} event of the room (= plan). */
    static byte[] message(String room, long seq, String epoch, String ts, String chunk) {
        MsgPack m = new MsgPack();
        m.array(3).str(UID);
        m.map(3).str("type").uint(2).str("data").array(2).str("event");
        m.map(7)
                .str("type")
                .str("event")
                .str("plan_id")
                .str(room)
                .str("seq")
                .uint(seq)
                .str("epoch")
                .str(epoch)
                .str("event")
                .str("step_output")
                .str("ts")
                .str(ts)
                .str("data")
                .map(2)
                .str("step_index")
                .uint(0)
                .str("chunk")
                .str(chunk);
        m.str("nsp").str("/");
        m.map(3)
                .str("rooms")
                .array(1)
                .str(room)
                .str("flags")
                .map(0)
                .str("except")
                .array(0);
        return m.toByteArray();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
