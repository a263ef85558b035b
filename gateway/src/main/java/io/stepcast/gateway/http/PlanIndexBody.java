package io.stepcast.gateway.http;

import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.redis.IndexCursors;
import io.stepcast.gateway.redis.IndexPage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * The JSON body of {@code GET /api/plans} and its entity tag:
 * {@code {"plans":[…],"next_cursor":"…"|null,"index":{"epoch":"…"|null,"seq":n}}}. Summaries are copied
 * byte for byte as the publish script wrote them; a plan with a watcher count gets
 * {@code "watchers":<n>} appended as its last member. Every other value has a charset that needs no
 * JSON escaping (cursor: base64url; epoch: {@code [a-z0-9]}).
 */
final class PlanIndexBody {

    private PlanIndexBody() {}

    static byte[] write(IndexPage page, Map<String, Long> watchers) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(128 + page.entries().size() * 320);
        ascii(out, "{\"plans\":[");
        boolean first = true;
        for (IndexPage.Entry e : page.entries()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            Long n = watchers.get(e.planId());
            byte[] summary = e.summary();
            if (n == null) {
                out.writeBytes(summary);
            } else {
                out.write(summary, 0, summary.length - 1);
                ascii(out, ",\"watchers\":" + n + "}");
            }
        }
        String epoch = RedisLayout.isValidEpoch(page.epoch()) ? "\"" + page.epoch() + "\"" : "null";
        String cursor = page.next() == null ? "null" : "\"" + IndexCursors.encode(page.next()) + "\"";
        ascii(out, "],\"next_cursor\":" + cursor + ",\"index\":{\"epoch\":" + epoch + ",\"seq\":" + page.seq() + "}}");
        return out.toByteArray();
    }

    /** The strong tag of a body: a digest of its bytes. */
    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(Arrays.copyOf(digest, 16)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
