package io.stepcast.deploy;

/**
 * The fixed prefix of an event frame, {@code {"type":"event","plan_id":"…","seq":N,"epoch":"…",…}}
 * (PROTOCOL.md §2: the members always come in this order), read without parsing {@code data}.
 */
record EventHead(String planId, long seq, String epoch) {
    private static final String PREFIX = "{\"type\":\"event\",\"plan_id\":\"";

    static EventHead parse(String f) {
        if (!f.startsWith(PREFIX)) {
            return null;
        }
        int planEnd = f.indexOf('"', PREFIX.length());
        int seqStart = f.indexOf("\"seq\":", planEnd) + 6;
        int seqEnd = f.indexOf(',', seqStart);
        int epochStart = f.indexOf("\"epoch\":\"", seqEnd) + 9;
        int epochEnd = f.indexOf('"', epochStart);
        if (planEnd < 0 || seqStart < 6 || seqEnd < 0 || epochStart < 9 || epochEnd < 0) {
            throw new IllegalStateException("malformed event frame: " + f);
        }
        return new EventHead(
                f.substring(PREFIX.length(), planEnd),
                Long.parseLong(f, seqStart, seqEnd, 10),
                f.substring(epochStart, epochEnd));
    }
}
