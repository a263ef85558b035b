package io.stepcast.gateway.ws;

import io.stepcast.gateway.WsClient;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A minimal WebSocket client on a plain socket, for stall tests: it reads nothing until asked, so
 * the server's output backs up in the (deliberately small) socket buffers. {@link #readToClose()}
 * then reads every frame the server sent and returns the close code.
 */
final class RawWsClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    final List<String> texts = new ArrayList<>();

    RawWsClient(int port) throws IOException {
        this(port, null);
    }

    /** With {@code extensions} (e.g. {@code permessage-deflate}) offered in the upgrade, when not null. */
    RawWsClient(int port, String extensions) throws IOException {
        this(port, extensions, 4096);
    }

    /** With a receive buffer of {@code receiveBuffer} bytes (0: the system's default, as a healthy client). */
    RawWsClient(int port, String extensions, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout((int) WsClient.WAIT.toMillis());
        String key = Base64.getEncoder().encodeToString("stall-test-key-1".getBytes(StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Protocol: stepcast.v1\r\n"
                        + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
                        + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        String status = line(in);
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!line(in).isEmpty()) {
            // skip headers
        }
    }

    /** Sends one masked text frame. */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(0x81);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        }
        byte[] mask = {1, 2, 3, 4};
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        out.flush();
    }

    /** One frame as received: its first byte (FIN, RSV1–3, opcode) and its payload. */
    record Frame(int b0, byte[] payload) {
        boolean compressed() {
            return (b0 & 0x40) != 0;
        }
    }

    /** Reads the next frame, whatever it is. */
    Frame next() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0, payload);
    }

    /** Reads frames until a close frame; returns its code (-1 when the connection ended without one). */
    int readToClose() throws IOException {
        return readToClose(0);
    }

    /**
     * {@link #readToClose()} over a slow link: pauses {@code pauseNanosPerFrame} after each frame (a
     * client that reads, but slower than the server sends).
     */
    int readToClose(long pauseNanosPerFrame) throws IOException {
        try {
            while (true) {
                if (pauseNanosPerFrame > 0) {
                    LockSupport.parkNanos(pauseNanosPerFrame);
                }
                Frame f = next();
                byte[] payload = f.payload();
                int opcode = f.b0() & 0x0f;
                if (opcode == 0x8) {
                    return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                }
                if (opcode == 0x1) {
                    texts.add(new String(payload, StandardCharsets.UTF_8));
                }
            }
        } catch (EOFException | SocketException e) {
            return -1;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** Goes away without a close handshake: the socket is closed with a TCP reset (SO_LINGER 0). */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
