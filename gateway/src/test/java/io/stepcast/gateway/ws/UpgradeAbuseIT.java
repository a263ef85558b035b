package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.stepcast.gateway.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Malformed WebSocket upgrades over raw TCP: each gets a clean 4xx with a Stepcast error body and its
 * socket is closed at once; the gateway logs no stack trace and no more than one short line per second
 * for all of them together; a frame sent in the upgrade's packet closes the connection, without a trace.
 */
class UpgradeAbuseIT {

    private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    private static final String GOOD = "GET /ws HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + KEY + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: stepcast.v1\r\n";
    private static final int REPEAT = 20;

    private static TestGateway server;
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    @BeforeAll
    static void start() {
        server = TestGateway.start();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        LOG.start();
        root.addAppender(LOG);
    }

    @AfterAll
    static void stop() {
        ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(Logger.ROOT_LOGGER_NAME)
                .detachAppender(LOG);
        server.close();
    }

    @BeforeEach
    void clearLog() {
        synchronized (LOG) {
            LOG.list.clear();
        }
    }

    @Test
    void malformedUpgradesGetACleanStatusAreClosedAndLogOneShortThrottledLine() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("400 missing key", GOOD.replace(KEY, ""));
        cases.put("400 repeated key", GOOD + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n");
        cases.put("400 invalid key", GOOD.replace("dGhlIHNhbXBsZSBub25jZQ==", "not-a-nonce"));
        cases.put("426 version 8", GOOD.replace("Version: 13", "Version: 8"));
        cases.put("426 no Upgrade header", GOOD.replace("Upgrade: websocket\r\n", ""));
        cases.put("426 no Connection header", GOOD.replace("Connection: Upgrade\r\n", ""));
        cases.put("405 POST", GOOD.replaceFirst("GET", "POST"));
        cases.put("400 HTTP/1.0", GOOD.replace("HTTP/1.1", "HTTP/1.0"));
        cases.put("431 huge header", GOOD + "X-Filler: " + "a".repeat(40_000) + "\r\n");
        long started = System.nanoTime();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            int status = Integer.parseInt(c.getKey().substring(0, 3));
            for (int i = 0; i < REPEAT; i++) {
                String answer = exchangeUntilClosed(c.getValue() + "\r\n", new byte[0]);
                assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), c.getKey() + ": " + head(answer));
                assertTrue(answer.contains("{\"type\":\"error\",\"code\":\"bad_request\""), c.getKey() + ": " + answer);
                assertTrue(answer.toLowerCase().contains("connection: close"), c.getKey() + ": " + head(answer));
            }
        }
        // the throttle lets one line through per second (an earlier test may have used this second's)
        await("a refusal is logged")
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .atMost(Duration.ofSeconds(10))
                .until(() -> {
                    exchangeUntilClosed(cases.get("400 missing key") + "\r\n", new byte[0]);
                    return refusedLines() > 0;
                });
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertNoTraces();
        long lines = refusedLines();
        assertTrue(
                lines <= seconds + 1, lines + " lines for " + cases.size() * REPEAT + " refusals in " + seconds + " s");
        logged().forEach(e -> assertTrue(e.getFormattedMessage().length() < 200, "short: " + e.getFormattedMessage()));

        try (RawWsClient good = new RawWsClient(server.port())) {
            assertTrue(
                    new String(good.next().payload(), StandardCharsets.UTF_8).contains("\"connected\""),
                    "a valid upgrade still opens a session");
        }
    }

    @Test
    void aFrameSentInTheUpgradesPacketClosesTheConnectionWithoutAStackTrace() throws Exception {
        byte[] payload = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = payload[i]; // mask 0: the payload goes unchanged
        }
        for (int i = 0; i < 5; i++) {
            exchangeUntilClosed(GOOD + "\r\n", frame);
        }
        assertNoTraces();
    }

    private static void assertNoTraces() {
        for (ILoggingEvent e : logged()) {
            assertTrue(e.getThrowableProxy() == null, "no stack trace: " + e.getFormattedMessage());
            assertTrue(e.getLevel() != Level.ERROR, "no error: " + e.getFormattedMessage());
        }
    }

    private static long refusedLines() {
        return logged().stream()
                .filter(e -> e.getFormattedMessage().startsWith("ws.refused"))
                .count();
    }

    /** A copy of what was logged (the appender appends under its own lock). */
    private static List<ILoggingEvent> logged() {
        synchronized (LOG) {
            return new ArrayList<>(LOG.list);
        }
    }

    /** Writes the bytes in one packet and reads until the server closes the socket (awaited). */
    private static String exchangeUntilClosed(String head, byte[] more) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setTcpNoDelay(true);
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + more.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(more, 0, all, h.length, more.length);
            socket.getOutputStream().write(all);
            socket.getOutputStream().flush();
            socket.setSoTimeout(200);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            await("the server closes the socket")
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> readToEnd(in, got));
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads what is there; true at end of stream (or a reset: closed too). */
    private static boolean readToEnd(InputStream in, ByteArrayOutputStream got) throws IOException {
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); ; n = in.read(buf)) {
                if (n < 0) {
                    return true;
                }
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // connection reset by the server
        }
    }

    private static String head(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? answer : answer.substring(0, end);
    }
}
