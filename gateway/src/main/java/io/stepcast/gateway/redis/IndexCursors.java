package io.stepcast.gateway.redis;

import io.micronaut.core.annotation.Nullable;
import io.stepcast.bridge.RedisLayout;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * The opaque {@code cursor} of {@code GET /api/plans}: base64url of {@code i1.<score>.<plan>.<crc>}, where
 * {@code crc} (CRC-32, hex) covers the rest. It only names a position in the index order, so even a
 * well-formed cursor a client made up reveals nothing: every page is filtered by the caller's token.
 * A cursor that does not decode to a position (garbled, truncated, edited) is refused.
 */
public final class IndexCursors {

    private static final String VERSION = "i1";
    private static final int MAX_LENGTH = 256;

    private IndexCursors() {}

    public static String encode(IndexPage.Position position) {
        String body = VERSION + "." + position.score() + "." + position.planId();
        String text = body + "." + crc(body);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The position of a cursor, or null when it is not one of ours. */
    @Nullable
    public static IndexPage.Position decode(String cursor) {
        if (cursor.length() > MAX_LENGTH) {
            return null;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int lastDot = text.lastIndexOf('.');
        if (lastDot < 0 || !text.startsWith(VERSION + ".")) {
            return null;
        }
        String body = text.substring(0, lastDot);
        if (!crc(body).equals(text.substring(lastDot + 1))) {
            return null;
        }
        String rest = body.substring(VERSION.length() + 1);
        int dot = rest.indexOf('.');
        if (dot < 1) {
            return null;
        }
        String plan = rest.substring(dot + 1);
        try {
            long score = Long.parseLong(rest.substring(0, dot));
            return score >= 0 && RedisLayout.isValidPlanId(plan) ? new IndexPage.Position(score, plan) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String crc(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
