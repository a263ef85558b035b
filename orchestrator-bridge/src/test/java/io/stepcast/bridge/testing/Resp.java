package io.stepcast.bridge.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal, blocking RESP2 client for test infrastructure only (PING, FLUSHALL, SHUTDOWN, INFO):
 * it keeps the test support free of a client library's lifecycle. One command per connection.
 *
 * <p>Not thread-safe state is held: every call opens and closes its own socket.
 */
public final class Resp {

    private Resp() {}

    /**
     * Sends one command and returns the reply: {@code String} for simple/bulk strings (null for a nil
     * bulk), {@code Long} for integers, {@code List<Object>} for arrays.
     *
     * @throws IOException on connection failure or a Redis error reply (message = the error line)
     */
    public static Object call(String host, int port, int timeoutMillis, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** Same as {@link #call(String, int, int, String...)} for a {@code redis://host:port} URI. */
    public static Object call(String redisUri, String... args) throws IOException {
        URI uri = URI.create(redisUri);
        return call(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), 5_000, args);
    }

    /** True when a PING on {@code host:port} answers PONG within {@code timeoutMillis}. */
    public static boolean ping(String host, int port, int timeoutMillis) {
        try {
            return "PONG".equals(call(host, port, timeoutMillis, "PING"));
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] encode(String... args) {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(args.length).append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] b = arg.getBytes(StandardCharsets.UTF_8);
            bytes.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            bytes.writeBytes(b);
            bytes.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed before a reply");
        }
        String line = readLine(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("Redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(len + 2);
                if (b.length != len + 2) {
                    throw new IOException("truncated bulk reply");
                }
                return new String(b, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type byte " + type);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (prev == '\r' && c == '\n') {
                byte[] b = line.toByteArray();
                return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
            }
            line.write(c);
            prev = c;
        }
        throw new IOException("connection closed inside a reply");
    }
}
