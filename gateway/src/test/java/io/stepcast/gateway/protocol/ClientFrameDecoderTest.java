package io.stepcast.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientFrameDecoderTest {

    private final ClientFrameDecoder decoder = new ClientFrameDecoder(DecoderLimits.DEFAULTS);

    private DecodeResult decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private ClientFrame ok(String json) {
        DecodeResult r = decode(json);
        return assertInstanceOf(DecodeResult.Decoded.class, r, () -> json + " -> " + r)
                .frame();
    }

    private DecodeResult.Rejected rejected(String json, ErrorCode code) {
        DecodeResult r = decode(json);
        DecodeResult.Rejected rej = assertInstanceOf(DecodeResult.Rejected.class, r, json);
        assertEquals(code, rej.code(), () -> json + " -> " + rej);
        return rej;
    }

    @Test
    void decodesEveryClientFrameType() {
        assertEquals(new ClientFrame.Subscribe("p-1", null, null), ok("{\"type\":\"subscribe\",\"plan_id\":\"p-1\"}"));
        assertEquals(
                new ClientFrame.Subscribe("p-1", new Cursor("x9f3k2ab01cd", 17), null),
                ok(
                        "{\"plan_id\":\"p-1\",\"epoch\":\"x9f3k2ab01cd\",\"since\":17,\"type\":\"subscribe\",\"future\":[1]}"));
        assertEquals(
                new ClientFrame.Unsubscribe("a.b:c_d-e"), ok("{\"type\":\"unsubscribe\",\"plan_id\":\"a.b:c_d-e\"}"));
        assertEquals(new ClientFrame.Ping(null), ok("{\"type\":\"ping\"}"));
        assertEquals(new ClientFrame.Ping(RequestId.ofInteger(5)), ok("{\"type\":\"ping\",\"id\":5}"));
        ClientFrame.Command c = (ClientFrame.Command)
                ok(
                        "{\"type\":\"command\",\"id\":\"c-1\",\"plan_id\":\"p\",\"command\":\"step:retry\",\"args\": {\"step\" : 2, \"x\":[{}]} }");
        assertEquals("\"c-1\"", c.id().json());
        assertEquals("step:retry", c.command());
        assertEquals(
                "{\"step\" : 2, \"x\":[{}]}",
                new String(c.argsJson(), StandardCharsets.UTF_8),
                "args spliced verbatim");
        ClientFrame.Command noArgs =
                (ClientFrame.Command) ok("{\"type\":\"command\",\"id\":1,\"plan_id\":\"p\",\"command\":\"go\"}");
        assertArrayEquals("{}".getBytes(StandardCharsets.US_ASCII), noArgs.argsJson());
    }

    @Test
    void rejectsBrokenInputWithTypedErrors() {
        rejected("", ErrorCode.MALFORMED_JSON);
        rejected("{", ErrorCode.MALFORMED_JSON);
        rejected("{\"type\":\"ping\"}{}", ErrorCode.MALFORMED_JSON);
        rejected("nul", ErrorCode.MALFORMED_JSON);
        rejected("{\"a\":1,\"a\":2,\"type\":\"ping\"}", ErrorCode.MALFORMED_JSON);
        rejected("42", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":null}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"SUBSCRIBE\",\"plan_id\":\"p\"}", ErrorCode.UNKNOWN_TYPE);
        rejected("{\"type\":\"subscribe\",\"plan_id\":\"\"}", ErrorCode.INVALID_PLAN_ID);
        rejected("{\"type\":\"subscribe\",\"plan_id\":\"" + "a".repeat(129) + "\"}", ErrorCode.INVALID_PLAN_ID);
        rejected("{\"type\":\"subscribe\",\"plan_id\":\"p\",\"since\":1.5}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"subscribe\",\"plan_id\":\"p\",\"since\":99999999999999999999999}", ErrorCode.BAD_REQUEST);
        rejected(
                "{\"type\":\"subscribe\",\"plan_id\":\"p\",\"since\":1,\"epoch\":\"has space\"}",
                ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"subscribe\",\"plan_id\":\"p\",\"since\":9223372036854775807}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"subscribe\",\"plan_id\":\"p\",\"since\":-1}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"ping\",\"id\":\"" + "i".repeat(65) + "\"}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"ping\",\"id\":\"\"}", ErrorCode.BAD_REQUEST);
        rejected(
                "{\"type\":\"command\",\"id\":\"has space\",\"plan_id\":\"p\",\"command\":\"go\"}",
                ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"command\",\"id\":\"c\",\"plan_id\":\"p\",\"command\":\"9lives\"}", ErrorCode.BAD_REQUEST);
        rejected(
                "{\"type\":\"command\",\"id\":\"c\",\"plan_id\":\"p\",\"command\":\"go\",\"args\":\"{}\"}",
                ErrorCode.BAD_REQUEST);
        rejected("{\"x\":" + "[".repeat(40) + "]".repeat(40) + ",\"type\":\"ping\"}", ErrorCode.BAD_REQUEST);
    }

    @Test
    void refNamesThePlanOrTheRequestWhenKnown() {
        assertEquals(
                "\"p\"",
                rejected("{\"type\":\"subscribe\",\"plan_id\":\"p\",\"since\":\"1\"}", ErrorCode.BAD_REQUEST)
                        .ref()
                        .json());
        assertEquals(
                "7",
                rejected("{\"type\":\"command\",\"id\":7,\"plan_id\":\"p\",\"command\":\"X\"}", ErrorCode.BAD_REQUEST)
                        .ref()
                        .json());
        assertNull(
                rejected("{\"type\":\"subscribe\",\"plan_id\":\"bad id\"}", ErrorCode.INVALID_PLAN_ID)
                        .ref(),
                "an invalid plan id is not echoed");
    }

    @Test
    void sizeIsCheckedBeforeParsing() {
        DecoderLimits small = new DecoderLimits(1024, 512, 8);
        ClientFrameDecoder d = new ClientFrameDecoder(small);
        byte[] big = ("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(ErrorCode.FRAME_TOO_LARGE, ((DecodeResult.Rejected) d.decode(big)).code());
        byte[] args = ("{\"type\":\"command\",\"id\":1,\"plan_id\":\"p\",\"command\":\"go\",\"args\":{\"s\":\""
                        + "x".repeat(600) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(ErrorCode.FRAME_TOO_LARGE, ((DecodeResult.Rejected) d.decode(args)).code());
    }

    @Test
    void neverThrowsOnArbitraryBytes() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            assertInstanceOf(DecodeResult.class, decoder.decode(b));
        }
        String valid =
                "{\"type\":\"command\",\"id\":\"c\",\"plan_id\":\"p\",\"command\":\"go\",\"args\":{\"a\":[1,{\"b\":null}]}}";
        for (int cut = 0; cut < valid.length(); cut++) {
            assertInstanceOf(DecodeResult.Rejected.class, decode(valid.substring(0, cut)), valid.substring(0, cut));
        }
    }

    @Test
    void decodesPlanIndexWatchesAndRefusesBadPrefixLimitOrCursor() {
        assertEquals(new ClientFrame.WatchPlans("", 50, null), ok("{\"type\":\"watch_plans\"}"));
        assertEquals(
                new ClientFrame.WatchPlans("team-a.", 500, new Cursor("x9f3k2ab01cd", 812)),
                ok("{\"type\":\"watch_plans\",\"prefix\":\"team-a.\",\"limit\":500,\"since\":812,"
                        + "\"epoch\":\"x9f3k2ab01cd\"}"));
        assertEquals(new ClientFrame.UnwatchPlans(), ok("{\"type\":\"unwatch_plans\"}"));
        rejected("{\"type\":\"watch_plans\",\"prefix\":\".x\"}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"watch_plans\",\"prefix\":\"" + "a".repeat(129) + "\"}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"watch_plans\",\"prefix\":7}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"watch_plans\",\"limit\":501}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"watch_plans\",\"limit\":1.5}", ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"watch_plans\",\"limit\":99999999999999999999999}", ErrorCode.BAD_REQUEST);
        rejected(
                "{\"type\":\"watch_plans\",\"since\":9007199254740992,\"epoch\":\"x9f3k2ab01cd\"}",
                ErrorCode.BAD_REQUEST);
        rejected("{\"type\":\"watch_plans\",\"epoch\":\"x9f3k2ab01cd\"}", ErrorCode.BAD_REQUEST);
    }
}
