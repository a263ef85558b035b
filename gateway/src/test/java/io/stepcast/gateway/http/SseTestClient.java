package io.stepcast.gateway.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Server-Sent Events client for tests, parsing the stream per the HTML spec (fields
 * {@code id}, {@code event}, {@code data}, {@code retry}, comments) on a reader thread.
 */
final class SseTestClient implements AutoCloseable {

    /** One dispatched event, or a comment line (then only {@code comment} is set). */
    record SseEvent(String id, String event, String data, Long retry, String comment) {}

    /** Marks the end of the stream in the queue. */
    static final SseEvent END = new SseEvent(null, "<end>", null, null, null);

    final HttpResponse<InputStream> response;
    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static SseTestClient open(HttpClient http, URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return new SseTestClient(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** The next event or comment; fails after {@code timeout}. */
    SseEvent next(Duration timeout) throws InterruptedException {
        SseEvent e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no SSE event within " + timeout);
        }
        return e;
    }

    /** The next event or comment if one is queued now, else null (no wait). */
    SseEvent poll() {
        return events.poll();
    }

    /**
     * The next event that is not a comment; fails when none came within {@code timeout} overall (ping
     * comments arriving meanwhile do not extend it).
     */
    SseEvent nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SseEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : events.poll();
            if (e == null) {
                throw new AssertionError("no SSE event (other than comments) within " + timeout);
            }
            if (e.comment() == null) {
                return e;
            }
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            Long retry = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || event != null || id != null) {
                        events.add(new SseEvent(id, event, data == null ? null : data.toString(), retry, null));
                    }
                    id = null;
                    event = null;
                    data = null;
                    retry = null;
                } else if (line.startsWith(":")) {
                    events.add(new SseEvent(
                            null, null, null, null, line.substring(1).trim()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "retry" -> retry = Long.parseLong(value);
                        case "data" -> {
                            if (data == null) {
                                data = new StringBuilder(value);
                            } else {
                                data.append('\n').append(value);
                            }
                        }
                        default -> {}
                    }
                }
            }
        } catch (IOException e) {
            // connection closed
        } finally {
            events.add(END);
        }
    }

    /** Drops the connection. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // ignore
        }
        reader.interrupt();
    }
}
