package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.budget.OutputBudget;
import io.stepcast.gateway.http.SseTestClient.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The output budget counts SSE streams too: streams whose clients stop reading push the gateway past
 * a small budget, each well within its own slow-consumer bound; the gateway sheds them, a stream that
 * reads keeps every event, and each shed client resumes with its last event id, gap-free.
 */
class SseOutputBudgetIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(30);
    private static final long BUDGET = 2L << 20;
    private static final int STALLED = 4;

    private static double counter(TestGateway g, String name, String... tags) {
        g.context().getBean(OutputBudget.class);
        return g.context().getBean(MeterRegistry.class).counter(name, tags).count();
    }

    /** A stream client on a plain socket with a tiny receive buffer that reads nothing until asked. */
    private static Socket stalledStream(TestGateway g, String plan) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", g.port()));
        s.setSoTimeout((int) T.toMillis());
        OutputStream out = s.getOutputStream();
        out.write(
                ("GET /api/plans/" + plan + "/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** Everything the stream delivered before the gateway ended it: the body, de-chunked. */
    private static String readToEnd(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            while (!line(in).isEmpty()) {
                // status line and headers
            }
            for (int size; (size = Integer.parseInt(line(in).trim(), 16)) > 0; ) {
                byte[] chunk = new byte[size];
                in.readFully(chunk);
                body.write(chunk);
                line(in);
            }
        } catch (EOFException | SocketException | NumberFormatException e) {
            // the connection ended, possibly in the middle of a chunk
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new EOFException();
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** The id of the last complete event of a stream body, checking that event ids follow one another. */
    private static String lastId(String body) {
        String last = null;
        long seq = -1;
        String[] events = body.split("\n\n", -1);
        for (int i = 0; i < events.length - 1; i++) { // the last piece is incomplete (or empty)
            for (String l : events[i].split("\n")) {
                if (l.startsWith("id: ") && l.contains(":")) {
                    String id = l.substring(4);
                    long s = Long.parseLong(id.substring(id.indexOf(':') + 1));
                    assertTrue(seq < 0 || s == seq + 1, () -> "gap or duplicate at " + id);
                    seq = s;
                    last = id;
                }
            }
        }
        return last;
    }

    @Test
    void stalledStreamsAreShedWhileAReaderKeepsEverythingAndTheShedResumeGapFree() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        // the per-stream bound far above the budget: only the budget can end these streams; a low
        // low-water mark sheds them in one go, so each resume replays about a quarter of the budget
        // (an SSE replay is queued at once, and a replay past the budget would be shed in turn)
        try (TestGateway g = TestGateway.start(Map.of(
                        "stepcast.output-budget.max-bytes",
                        BUDGET,
                        "stepcast.output-budget.low-water-percent",
                        10,
                        "stepcast.output-budget.check-interval",
                        "20ms",
                        "stepcast.http.sse.max-pending-bytes",
                        64L << 20,
                        "micronaut.server.netty.childOptions.so_sndbuf",
                        65536));
                LettuceEventPublisher publisher = LettuceEventPublisher.create(g.redisUri)) {
            String plan = TestGateway.planId("sse-budget");
            publisher.publish(plan, new StepOutput(0, "first")).join();
            SseTestClient reader = SseTestClient.open(g.http, g.uri("/api/plans/" + plan + "/stream"));
            reader.nextEvent(T); // subscribed
            SseEvent snapshot = reader.nextEvent(T);
            long seq = Long.parseLong(snapshot.id().substring(snapshot.id().indexOf(':') + 1));
            for (int i = 0; i < STALLED; i++) {
                stalled.add(stalledStream(g, plan));
            }
            double slowBefore = counter(g, "stepcast.sse.slow_consumer.closes");
            double shedBefore = counter(g, "stepcast.output.shed", "transport", "sse");
            AtomicBoolean stop = new AtomicBoolean();
            String pad = "x".repeat(4000);
            CompletableFuture<Long> flow = CompletableFuture.supplyAsync(() -> {
                CompletableFuture<PublishResult> last = null;
                for (int i = 0; !stop.get() && i < 5_000; i++) {
                    last = publisher.publish(plan, new StepOutput(0, pad + i));
                    if (i % 50 == 49) {
                        last.join();
                    }
                }
                return last.join().seq();
            });
            // the reader keeps reading while the stalled streams fill up
            while (counter(g, "stepcast.output.shed", "transport", "sse") - shedBefore < STALLED) {
                SseEvent e = reader.nextEvent(T);
                long s = Long.parseLong(e.id().substring(e.id().indexOf(':') + 1));
                assertEquals(seq + 1, s, "the reader misses nothing");
                seq = s;
                assertTrue(!flow.isDone(), "every stalled stream is shed before the flow ends");
            }
            stop.set(true);
            long last = flow.join();
            while (seq < last) {
                SseEvent e = reader.nextEvent(T);
                long s = Long.parseLong(e.id().substring(e.id().indexOf(':') + 1));
                assertEquals(seq + 1, s, "the reader misses nothing");
                seq = s;
            }
            assertEquals(slowBefore, counter(g, "stepcast.sse.slow_consumer.closes"), "no stream hit its own bound");
            for (Socket s : stalled) {
                String id = lastId(readToEnd(s));
                try (SseTestClient resumed =
                        SseTestClient.open(g.http, g.uri("/api/plans/" + plan + "/stream"), "Last-Event-ID", id)) {
                    JsonNode sub = JSON.readTree(resumed.nextEvent(T).data());
                    assertTrue(sub.path("recovered").asBoolean(), "resumed from the log: " + sub);
                    long r = Long.parseLong(id.substring(id.indexOf(':') + 1));
                    while (r < last) {
                        SseEvent e = resumed.nextEvent(T);
                        assertTrue(e.id() != null, () -> "the resumed stream ended: " + e);
                        long s2 = Long.parseLong(e.id().substring(e.id().indexOf(':') + 1));
                        assertEquals(r + 1, s2, "gap-free after the resume");
                        r = s2;
                    }
                }
            }
            reader.close();
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }
}
