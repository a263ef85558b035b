package io.stepcast.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PubSubCodecTest {

    private final PubSubCodec codec = new PubSubCodec();

    /** The name as Lettuce hands it over: a direct buffer, not at position 0, not to be consumed. */
    private static ByteBuffer wire(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length + 7);
        b.put(new byte[3]).put(bytes).put(new byte[4]);
        return b.position(3).limit(3 + bytes.length);
    }

    @Test
    void aChannelNameSeenBeforeIsTheSameStringAndTheBufferIsNotConsumed() {
        ByteBuffer first = wire("stepcast:{plan-1}");
        String a = codec.decodeKey(first);
        assertEquals("stepcast:{plan-1}", a);
        assertEquals(3, first.position());
        assertSame(a, codec.decodeKey(wire("stepcast:{plan-1}")));
    }

    @Test
    void namesThatDifferDecodeToThemselvesWhicheverSlotTheyShare() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 3 * PubSubCodec.SLOTS; i++) {
                String name = "stepcast:{p-" + i + "}";
                assertEquals(name, codec.decodeKey(wire(name)));
            }
        }
        // the same hash, different bytes: "Aa" and "BB" collide in String.hashCode
        assertEquals("x:{Aa}", codec.decodeKey(wire("x:{Aa}")));
        assertEquals("x:{BB}", codec.decodeKey(wire("x:{BB}")));
        assertEquals("x:{Aa}", codec.decodeKey(wire("x:{Aa}")));
    }

    @Test
    void nonAsciiAndLongNamesAreDecodedAsUtf8WithoutCaching() {
        String accented = "stepcast:{plän-ü}";
        assertEquals(accented, codec.decodeKey(wire(accented)));
        String a = codec.decodeKey(wire(accented));
        assertNotSame(a, codec.decodeKey(wire(accented)));
        String longName = "stepcast:{" + "x".repeat(PubSubCodec.MAX_CACHED_BYTES) + "}";
        assertEquals(longName, codec.decodeKey(wire(longName)));
        assertEquals("", codec.decodeKey(ByteBuffer.allocate(0)));
    }

    @Test
    void messagesStayRawBytesAndNamesEncodeAsUtf8() {
        byte[] frame = "{\"type\":\"event\"}".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(frame, codec.decodeValue(ByteBuffer.wrap(frame)));
        ByteBuffer key = codec.encodeKey("stepcast:{plän}");
        byte[] out = new byte[key.remaining()];
        key.get(out);
        assertArrayEquals("stepcast:{plän}".getBytes(StandardCharsets.UTF_8), out);
    }
}
