package io.stepcast.deploy.loadtest.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The Socket.IO peer is fed in {@code @socket.io/redis-emitter}'s wire format written from Java. The
 * expected bytes were produced by notepack.io 3.0.1 (the emitter's and the adapter's MessagePack
 * codec) from the same message:
 * {@code encode(["emitter",{type:2,data:["event",{…}],nsp:"/"},{rooms:["p-1"],flags:{},except:[]}])}.
 */
class EmitterWireFormatTest {

    @Test
    void writesTheSameBytesAsTheEmittersMessagePackCodec() {
        byte[] msg =
                EmitterSource.message("p-1", 300, "abcdefabcdef", "2026-01-01T00:00:00.000Z", "0000000000000000042 xx");
        assertEquals(
                "93a7656d697474657283a47479706502a46461746192a56576656e7487a474797065a56576656e74a7706c616e5f6964"
                        + "a3702d31a3736571cd012ca565706f6368ac616263646566616263646566a56576656e74ab737465705f6f7574707574"
                        + "a27473b8323032362d30312d30315430303a30303a30302e3030305aa46461746182aa737465705f696e64657800a563"
                        + "68756e6bb630303030303030303030303030303030303432207878a36e7370a12f83a5726f6f6d7391a3702d31a5666c"
                        + "61677380a665786365707490",
                HexFormat.of().formatHex(msg));
    }

    @Test
    void encodesIntegersInTheirSmallestForm() {
        byte[] b =
                new MsgPack().array(3).uint(70000).uint(5_000_000_000L).uint(1).toByteArray();
        assertEquals("93ce00011170cf000000012a05f20001", HexFormat.of().formatHex(b));
    }
}
