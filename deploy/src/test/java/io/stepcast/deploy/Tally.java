package io.stepcast.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * What a system test saw, printed for the reader of the build log and appended to
 * {@code deploy/target/system-test-counts.txt}.
 *
 * @param expectedDeliveries sum over clients of the events of their plans (head seq per plan)
 * @param delivered          events received in order, one by one
 * @param lost               seqs never received nor covered by a legitimate reset
 * @param duplicated         events received twice
 * @param resets             snapshot resets (a cursor replaced by the current state)
 * @param recoveredResumes   resumes answered with recovered:true
 * @param silentEpochChanges events of a new epoch without a snapshot first (must be 0)
 * @param reconnects         connections opened beyond each client's first
 * @param closes1012         connections closed by a draining gateway (1012)
 * @param reconnectFrames    {@code reconnect} frames received
 * @param errorFrames        {@code error} frames received (must be 0)
 * @param closeCodes         how connections ended: close code → count (1006: no close frame)
 */
record Tally(
        String scenario,
        int clients,
        int plans,
        long eventsPublished,
        long expectedDeliveries,
        long delivered,
        long lost,
        long duplicated,
        long resets,
        long recoveredResumes,
        long silentEpochChanges,
        long reconnects,
        long closes1012,
        long reconnectFrames,
        long errorFrames,
        Map<Integer, Integer> closeCodes) {

    String line() {
        return String.format(
                "[system-test] %-34s clients=%d plans=%d events=%d deliveries=%d/%d lost=%d duplicated=%d"
                        + " resets=%d recovered=%d silent-epoch-changes=%d reconnects=%d closes-1012=%d"
                        + " reconnect-frames=%d error-frames=%d close-codes=%s",
                scenario,
                clients,
                plans,
                eventsPublished,
                delivered,
                expectedDeliveries,
                lost,
                duplicated,
                resets,
                recoveredResumes,
                silentEpochChanges,
                reconnects,
                closes1012,
                reconnectFrames,
                errorFrames,
                closeCodes);
    }

    /** Prints the counts to stdout and appends them to the module's counts file. */
    Tally print(double seconds) {
        String line = line() + String.format(" time=%.1fs", seconds);
        System.out.println(line);
        try {
            Path out = SystemTools.repoRoot().resolve("deploy/target/system-test-counts.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(
                    out,
                    Instant.now() + " " + line + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("could not write the counts file: " + e);
        }
        return this;
    }
}
