package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lighter subscriptions over real WebSockets, a real gateway and real Redis: {@code subscribe} with
 * {@code events} delivers only the matching events, live and replayed, and {@code skip} frames keep
 * the client's cursor exact (every delivered seq is the previous seq or skip plus one).
 */
class WsEventFilterIT {

    static final String STATUS_ONLY = "\"events\":[\"step_status\",\"plan_*\"]";

    static TestGateway server;
    static LettuceEventPublisher publisher;

    @BeforeAll
    static void start() {
        server = TestGateway.start(Map.of("stepcast.ws.heartbeat", "1s", "stepcast.ws.heartbeat-timeout", "30s"));
        publisher = server.publisher();
    }

    @AfterAll
    static void stop() {
        if (server != null) { // null when a subclass's fixture was not available
            server.close();
        }
    }

    static long publish(String plan, PlanEvent... events) {
        long seq = 0;
        for (PlanEvent e : events) {
            seq = publisher.publish(plan, e).join().seq();
        }
        return seq;
    }

    static PlanEvent output(int i) {
        return new StepOutput(0, "line " + i + "\n");
    }

    static PlanEvent status(StepState s) {
        return new StepStatus(0, "compile", s);
    }

    static String subscribe(String plan, String extra) {
        return "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"" + extra + "}";
    }

    @Test
    void aFilteredSubscriptionGetsOnlyMatchingEventsWithSkipsCoveringTheFilteredSeqs() {
        String plan = TestGateway.planId("flt-live");
        publish(plan, new PlanStarted("build", List.of("compile")));
        try (WsClient c = WsClient.connect(WsClient.uri(server));
                WsClient all = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            all.next("connected");
            c.send(subscribe(plan, "," + STATUS_ONLY));
            all.send(subscribe(plan, ""));
            Cursor cur = Cursor.start(c, plan);
            assertEquals(1, cur.seq);
            Cursor everything = Cursor.start(all, plan);

            publish(plan, output(1), output(2), output(3), status(StepState.RUNNING), output(4), output(5));
            long last = publish(plan, status(StepState.SUCCEEDED)); // seq 8

            cur.skipTo(c, 4);
            JsonNode running = cur.expectEvent(c.next(), "step_status");
            cur.skipTo(c, 7);
            cur.expectEvent(c.next(), "step_status");
            assertEquals(last, cur.seq);

            // the unfiltered subscriber of the same plan sees everything, the shared frames byte for byte
            String runningText = null;
            for (long s = 2; s <= last; s++) {
                JsonNode e = everything.expectEvent(all.next(), null);
                if (e.path("seq").asLong() == running.path("seq").asLong()) {
                    runningText = e.toString();
                }
            }
            assertEquals(running.toString(), runningText);

            // only filtered events: at the next heartbeat the idle subscription gets a skip
            long tail = publish(plan, output(6), output(7));
            cur.skipTo(c, tail);
            c.assertUsable();
        }
    }

    @Test
    void aFilteredResumeReplaysExactlyTheMatchingMissedEventsAndEndsOnACorrectCursor() {
        String plan = TestGateway.planId("flt-resume");
        publish(plan, new PlanStarted("build", List.of("compile")), output(0));
        Cursor cur;
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.send(subscribe(plan, "," + STATUS_ONLY));
            cur = Cursor.start(c, plan);
            assertEquals(2, cur.seq);
        }
        // missed while away: filtered and matching events mixed, ending with filtered ones
        publish(
                plan,
                output(1),
                status(StepState.RUNNING),
                output(2),
                output(3),
                status(StepState.FAILED),
                output(4),
                output(5));
        long head = 9;
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.send(subscribe(plan, cur.resume() + "," + STATUS_ONLY));
            JsonNode sub = c.next("subscribed");
            assertTrue(sub.path("recovered").asBoolean(), sub::toString);
            assertEquals(2, sub.path("seq").asLong());
            cur.skipTo(c, 3);
            assertEquals(
                    "running",
                    cur.expectEvent(c.next(), "step_status")
                            .path("data")
                            .path("status")
                            .asText());
            cur.skipTo(c, 6);
            assertEquals(
                    "failed",
                    cur.expectEvent(c.next(), "step_status")
                            .path("data")
                            .path("status")
                            .asText());
            cur.skipTo(c, head);
        }
        // the cursor is exact: resuming from it replays nothing, and the next event continues it
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.send(subscribe(plan, cur.resume() + "," + STATUS_ONLY));
            JsonNode sub = c.next("subscribed");
            assertTrue(sub.path("recovered").asBoolean(), sub::toString);
            assertEquals(head, sub.path("seq").asLong());
            publish(plan, status(StepState.SUCCEEDED));
            cur.expectEvent(c.next(), "step_status");
            assertEquals(head + 1, cur.seq);
        }
    }

    @Test
    void badFiltersGetTypedErrorsNamingEventsAndTheConnectionStaysUp() {
        String plan = TestGateway.planId("flt-bad");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            many.append(i == 0 ? "" : ",").append("\"e").append(i).append('"');
        }
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            for (String bad : List.of(
                    "\"events\":[]",
                    "\"events\":[" + many + "]",
                    "\"events\":[\"Step_status\"]",
                    "\"events\":[\"*\"]",
                    "\"events\":[\"step*status\"]",
                    "\"events\":[42]",
                    "\"events\":\"step_status\"")) {
                c.send(subscribe(plan, "," + bad));
                JsonNode error = c.nextError("bad_request");
                assertTrue(error.path("message").asText().contains("events"), error::toString);
                assertEquals(plan, error.path("ref").asText());
                c.assertUsable();
            }
            // the connection still subscribes, with 32 entries at the limit
            StringBuilder limit = new StringBuilder("\"events\":[\"plan_*\"");
            for (int i = 1; i < 32; i++) {
                limit.append(",\"e").append(i).append('"');
            }
            publish(plan, new PlanStarted("build", List.of("compile")));
            c.send(subscribe(plan, "," + limit + "]"));
            assertFalse(c.next("subscribed").path("recovered").asBoolean());
            c.next("snapshot");
        }
    }

    /** A client's cursor for one plan, checking the filtered stream's rule on every frame. */
    static final class Cursor {
        final String plan;
        String epoch;
        long seq;

        private Cursor(String plan) {
            this.plan = plan;
        }

        static Cursor start(WsClient c, String plan) {
            Cursor cur = new Cursor(plan);
            JsonNode sub = c.next("subscribed");
            cur.epoch = sub.path("epoch").asText();
            cur.seq = sub.path("seq").asLong();
            if (!sub.path("recovered").asBoolean()) {
                c.next("snapshot");
            }
            return cur;
        }

        /** A skip: it moves the cursor forward, covering at least one seq. */
        long expectSkip(JsonNode n) {
            assertEquals("skip", n.path("type").asText(), n::toString);
            assertEquals(plan, n.path("plan_id").asText());
            assertEquals(epoch, n.path("epoch").asText());
            long through = n.path("through").asLong();
            assertTrue(through > seq, () -> "skip must advance the cursor " + seq + ": " + n);
            seq = through;
            return through;
        }

        /**
         * Skips until the cursor reaches {@code target}: one skip, or several when a heartbeat fell
         * between the filtered events; never past it, never anything else in between.
         */
        void skipTo(WsClient c, long target) {
            while (seq < target) {
                expectSkip(c.next());
            }
            assertEquals(target, seq);
        }

        /** An event of this name (any when null): its seq is exactly the cursor plus one. */
        JsonNode expectEvent(JsonNode n, String event) {
            assertEquals("event", n.path("type").asText(), n::toString);
            assertEquals(seq + 1, n.path("seq").asLong(), () -> "not contiguous after " + seq + ": " + n);
            if (event != null) {
                assertEquals(event, n.path("event").asText(), n::toString);
            }
            seq++;
            return n;
        }

        String resume() {
            return ",\"since\":" + seq + ",\"epoch\":\"" + epoch + "\"";
        }
    }
}
