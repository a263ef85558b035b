package io.stepcast.gateway.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stepcast.bridge.event.CustomEvent;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated bad frames and forged tokens against one real gateway (auth on, real Redis),
 * while a bystander client on the same instance watches a plan that keeps receiving events. For each
 * class: every bad frame gets exactly one documented error (or the documented close code), error
 * messages carry no internals, the abuser's connection stays usable, /health answers; at the end the
 * bystander has every event without a gap and the heap after GC is bounded.
 */
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private static final String BYSTANDER_PLAN = "bystander-" + RUN;
    private static final int PER_CLASS = 300;

    private static TestGateway server;
    private static LettuceEventPublisher publisher;
    private final Random random = new Random(42);

    @BeforeAll
    static void start() {
        server = TestGateway.start(Map.of(
                "stepcast.auth.enabled", "true",
                "stepcast.auth.hs256-secret", TestTokens.SECRET,
                // the rate limit is tested by gateway-ws's WsLimitsIT; here every bad frame must be answered
                "stepcast.ws.rate-limit.messages-per-second", "100000",
                "stepcast.ws.rate-limit.burst", "100000",
                "stepcast.ws.rate-limit.abuse-threshold", "100000"));
        publisher = server.publisher();
    }

    @AfterAll
    static void stop() {
        server.close(); // and its publisher
    }

    @Test
    void abuseGetsTypedErrorsAndNeverDisturbsABystander() throws Exception {
        WsClient bystander = client(TestTokens.hs256("bystander", List.of(BYSTANDER_PLAN), false));
        bystander.send("{\"type\":\"subscribe\",\"plan_id\":\"" + BYSTANDER_PLAN + "\"}");
        bystander.awaitText("\"subscribed\"");
        List<Long> seen = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> collectSeqs(bystander, seen), "bystander-reader");
        reader.setDaemon(true);
        reader.start();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong published = new AtomicLong();
        Thread pub = new Thread(
                () -> {
                    while (!stop.get() && published.get() < 100_000) {
                        publisher
                                .publish(
                                        BYSTANDER_PLAN,
                                        new CustomEvent(
                                                "tick",
                                                JsonNodeFactory.instance
                                                        .objectNode()
                                                        .put("i", published.get())))
                                .join();
                        published.incrementAndGet();
                    }
                },
                "bystander-publisher");
        pub.start();

        abuse("random text", randomText(), false, Set.of("malformed_json", "bad_request"));
        abuse("random binary", randomBinary(), true, Set.of("malformed_json", "bad_request"));
        abuse("truncated JSON", truncated(), false, Set.of("malformed_json"));
        abuse("deep nesting", deep(), false, Set.of("bad_request", "malformed_json"));
        abuse("huge strings", huge(), false, Set.of("frame_too_large"));
        abuse("wrong types", wrongTypes(), false, Set.of("bad_request"));
        abuse("unknown types and fields", unknownTypes(), false, Set.of("unknown_type"));
        abuse("invalid plan ids", invalidPlanIds(), false, Set.of("invalid_plan_id"));
        abuse("plans outside the token", foreignPlans(), false, Set.of("forbidden"));
        subscribeFlood();
        forgedTokens();

        stop.set(true);
        pub.join();
        long total = published.get();
        assertTrue(total > 0, "the publisher ran during the abuse");
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= total);
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= total; s++) {
            expected.add(s);
        }
        assertEquals(expected, new ArrayList<>(seen), "the bystander got every event, in order, without a gap");
        assertHealthy();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long usedMiB = (rt.totalMemory() - rt.freeMemory()) >> 20;
        assertTrue(usedMiB < 768, "heap after GC is bounded: " + usedMiB + " MiB");
    }

    private static void collectSeqs(WsClient bystander, List<Long> seen) {
        while (!Thread.currentThread().isInterrupted()) {
            String t = bystander.nextText();
            if (t != null && t.startsWith("{\"type\":\"event\"")) {
                Matcher m = SEQ.matcher(t);
                if (m.find()) {
                    seen.add(Long.parseLong(m.group(1)));
                }
            }
        }
    }

    private static WsClient client(String token) throws Exception {
        return WsClient.openPath(server.port(), "/ws", List.of("stepcast.v1", "bearer." + token));
    }

    /** Sends every frame on one connection; each gets exactly one error with an allowed code. */
    private void abuse(String name, List<byte[]> frames, boolean binary, Set<String> codes) throws Exception {
        WsClient abuser = client(TestTokens.hs256("abuser", List.of("bad-input-*"), true));
        abuser.awaitText("\"connected\"");
        for (byte[] f : frames) {
            if (binary) {
                abuser.sendBinary(f);
            } else {
                abuser.send(new String(f, StandardCharsets.UTF_8));
            }
        }
        for (int i = 0; i < frames.size(); i++) {
            String reply = abuser.nextText();
            assertNotNull(reply, name + ": reply " + i + " of " + frames.size() + " missing");
            var node = JSON.readTree(reply);
            assertEquals("error", node.path("type").asText(), name + ": " + reply);
            assertTrue(codes.contains(node.path("code").asText()), name + ": unexpected code in " + reply);
            String message = node.path("message").asText();
            assertFalse(
                    message.contains("Exception")
                            || message.contains("\tat ")
                            || message.contains("java.")
                            || message.contains("io.stepcast")
                            || message.length() > 300,
                    name + ": internals in " + reply);
        }
        abuser.send("{\"type\":\"ping\",\"id\":\"still-there\",\"unknown\":{\"x\":[1,2]}}");
        assertTrue(abuser.awaitText("\"pong\"").contains("still-there"), name + ": connection still usable");
        assertFalse(abuser.isClosed(), name);
        assertHealthy();
    }

    private void subscribeFlood() throws Exception {
        WsClient abuser = client(TestTokens.hs256("flooder", List.of("bad-input-*"), false));
        abuser.awaitText("\"connected\"");
        int n = 200;
        for (int i = 0; i < n; i++) {
            abuser.send("{\"type\":\"subscribe\",\"plan_id\":\"bad-input-flood-" + RUN + "-" + i + "\"}");
        }
        int subscribed = 0;
        int refused = 0;
        while (subscribed + refused < n) {
            String t = abuser.nextText();
            assertNotNull(t, "flood: replies missing after " + subscribed + " subscribed, " + refused + " refused");
            if (t.contains("\"type\":\"subscribed\"")) {
                subscribed++;
            } else if (t.contains("\"code\":\"too_many_subscriptions\"")) {
                refused++;
            }
        }
        assertEquals(128, subscribed, "subscription cap");
        assertEquals(n - 128, refused);
        assertHealthy();
    }

    private void forgedTokens() throws Exception {
        List<String> forged = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            forged.add(TestTokens.algNone("eve" + i, List.of("*")));
            forged.add(TestTokens.expired("eve" + i, List.of("*")));
            forged.add(TestTokens.wrongKey("eve" + i, List.of("*")));
            forged.add(TestTokens.hs256("eve", List.of("*"), false).replace('.', 'x'));
            forged.add(TestTokens.b64("{\"alg\":\"HS256\"}") + "."
                    + TestTokens.b64("{\"sub\":\"eve\",\"plans\":[\"*\"],\"exp\":99999999999}") + ".AAAA");
        }
        for (String token : forged) {
            String status = client(token).closeStatus();
            assertTrue(status.startsWith("4001 unauthorized: "), status);
        }
        assertHealthy();
    }

    private static void assertHealthy() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    // ---- generators (seeded) ----

    private List<byte[]> randomText() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < PER_CLASS; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + random.nextInt(200);
            for (int j = 0; j < len; j++) {
                sb.append((char) (0x20 + random.nextInt(0x5f)));
            }
            if (sb.charAt(0) == '{' || sb.charAt(0) == '[' || sb.charAt(0) == '"') {
                sb.setCharAt(0, '#');
            }
            out.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<byte[]> randomBinary() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < PER_CLASS; i++) {
            byte[] b = new byte[1 + random.nextInt(512)];
            random.nextBytes(b);
            b[0] = (byte) 0xff; // never valid UTF-8 JSON
            out.add(b);
        }
        return out;
    }

    private List<byte[]> truncated() {
        String[] valid = {
            "{\"type\":\"subscribe\",\"plan_id\":\"bad-input-x\",\"since\":3,\"epoch\":\"abcdefabcdef\"}",
            "{\"type\":\"command\",\"id\":\"c1\",\"plan_id\":\"bad-input-x\",\"command\":\"retry\",\"args\":{\"a\":[1,2,{\"b\":null}]}}",
            "{\"type\":\"ping\",\"id\":\"k\"}"
        };
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < PER_CLASS; i++) {
            String v = valid[i % valid.length];
            out.add(v.substring(0, 1 + random.nextInt(v.length() - 1)).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<byte[]> deep() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < PER_CLASS / 3; i++) {
            int depth = 33 + random.nextInt(20_000);
            String open = "[".repeat(depth);
            String close = "]".repeat(depth);
            out.add(("{\"type\":\"command\",\"id\":\"d\",\"plan_id\":\"bad-input-x\",\"command\":\"c\",\"args\":{\"x\":"
                            + open + close + "}}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<byte[]> huge() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            out.add(("{\"type\":\"subscribe\",\"plan_id\":\"" + "x".repeat(70_000 + random.nextInt(200_000)) + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<byte[]> wrongTypes() {
        String[] bad = {
            "{\"type\":\"subscribe\",\"plan_id\":123}",
            "{\"type\":5}",
            "{\"type\":null}",
            "{\"type\":\"subscribe\",\"plan_id\":\"bad-input-x\",\"since\":\"3\"}",
            "{\"type\":\"subscribe\",\"plan_id\":\"bad-input-x\",\"since\":-1}",
            "{\"type\":\"subscribe\",\"plan_id\":\"bad-input-x\",\"epoch\":\"e\"}",
            "{\"type\":\"ping\",\"id\":[1]}",
            "{\"type\":\"command\",\"plan_id\":\"bad-input-x\"}",
            "{\"type\":\"refresh\"}",
            "{\"type\":\"refresh\",\"token\":42}",
            "[1,2,3]",
            "\"subscribe\"",
            "42",
            "{\"plan_id\":\"bad-input-x\"}",
            "{\"type\":\"unsubscribe\"}",
            "{\"type\":\"subscribe\",\"plan_id\":\"bad-input-x\",\"since\":99999999999999999999999}"
        };
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < PER_CLASS; i++) {
            out.add(bad[i % bad.length].getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<byte[]> unknownTypes() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < PER_CLASS; i++) {
            out.add(("{\"type\":\"t" + random.nextInt(1_000_000) + "\",\"extra\":{\"n\":[" + i
                            + "]},\"plan_id\":\"bad-input-x\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<byte[]> invalidPlanIds() {
        String[] ids = {
            "{p}",
            "p 1",
            "",
            " ",
            ".p",
            "-p",
            "p\\u0000",
            "ü-plan",
            "p\\\"q",
            "a/b",
            "{bad-input-x}",
            "x".repeat(129),
            "y".repeat(10_240)
        };
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < PER_CLASS; i++) {
            String type = i % 2 == 0 ? "subscribe" : "unsubscribe";
            out.add(("{\"type\":\"" + type + "\",\"plan_id\":\"" + ids[i % ids.length] + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<byte[]> foreignPlans() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < PER_CLASS; i++) {
            String plan = i % 3 == 0 ? BYSTANDER_PLAN : "other-" + i;
            out.add(("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
