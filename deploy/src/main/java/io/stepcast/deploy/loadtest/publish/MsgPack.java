package io.stepcast.deploy.loadtest.publish;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few MessagePack forms the Socket.IO Redis emitter's messages use, written the way notepack.io
 * (the emitter's and the adapter's parser) writes them: smallest integer/string/array/map form.
 */
public final class MsgPack {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public MsgPack str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = b.length;
        if (n < 0x20) {
            out.write(0xa0 | n);
        } else if (n < 0x100) {
            out.write(0xd9);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0xda);
            be(n, 2);
        } else {
            out.write(0xdb);
            be(n, 4);
        }
        out.writeBytes(b);
        return this;
    }

    /** A non-negative integer. */
    public MsgPack uint(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative: " + v);
        }
        if (v < 0x80) {
            out.write((int) v);
        } else if (v < 0x100) {
            out.write(0xcc);
            be(v, 1);
        } else if (v < 0x10000) {
            out.write(0xcd);
            be(v, 2);
        } else if (v < 0x100000000L) {
            out.write(0xce);
            be(v, 4);
        } else {
            out.write(0xcf);
            be(v, 8);
        }
        return this;
    }

    public MsgPack array(int n) {
        return header(n, 0x90, 0xdc, 0xdd);
    }

    public MsgPack map(int n) {
        return header(n, 0x80, 0xde, 0xdf);
    }

    private MsgPack header(int n, int fix, int b16, int b32) {
        if (n < 0x10) {
            out.write(fix | n);
        } else if (n < 0x10000) {
            out.write(b16);
            be(n, 2);
        } else {
            out.write(b32);
            be(n, 4);
        }
        return this;
    }

    private void be(long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }
}
