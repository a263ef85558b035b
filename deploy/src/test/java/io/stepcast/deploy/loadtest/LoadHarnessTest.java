package io.stepcast.deploy.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.FrameScan;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.publish.EventSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoke tests of the load benchmark's pieces; the benchmark itself runs only from run.sh. */
class LoadHarnessTest {

    @Test
    void readsSeqAndPublishTimeFromAnEventFrameWithoutParsingIt() {
        String chunk = EventSource.chunk(123_456_789L);
        assertEquals(100, chunk.length());
        ByteBuf b = buf("{\"type\":\"event\",\"plan_id\":\"p-1\",\"seq\":17,\"epoch\":\"abcdefabcdef\",\"event\":"
                + "\"step_output\",\"ts\":\"2026-01-01T00:00:00.000Z\",\"data\":{\"step_index\":0,\"chunk\":\"" + chunk
                + "\"}}");
        assertEquals(17, FrameScan.longAfter(b, FrameScan.SEQ));
        assertEquals(123_456_789L, FrameScan.publishTime(b, 0));
        long[] st = new long[2];
        FrameScan.seqAndPublishTime(b, st);
        assertEquals(17, st[0]);
        assertEquals(123_456_789L, st[1]);
        assertEquals("abcdefabcdef", FrameScan.stringAfter(b, FrameScan.EPOCH));
        assertNull(FrameScan.stringAfter(buf("{\"type\":\"subscribed\",\"epoch\":null}"), FrameScan.EPOCH));
    }

    @Test
    void countsGapsAndDuplicatesBySeq() {
        Conn c = new Conn(0, new PublishedPlan("p"), new FleetStats(System.nanoTime()));
        c.startPeriod(10);
        c.onEvent(11, -1);
        c.onEvent(13, -1); // 12 skipped
        c.onEvent(13, -1); // again
        c.onEvent(14, -1);
        assertEquals(1, c.lost());
        assertEquals(1, c.dup());
        assertEquals(3, c.delivered());
        assertEquals(14, c.last());
    }

    @Test
    void rejectsUnknownScenariosAndOptions() {
        Path repo = Path.of(".."); // the repository root (tests run in deploy/): the image flags are read from it
        assertEquals(
                LoadOptions.ALL_SCENARIOS,
                LoadOptions.parse(new String[0], repo).scenarios());
        assertEquals(
                List.of(50.0, 200.0),
                LoadOptions.parse(new String[] {"fanout", "--fanout-rates", "50,200"}, repo)
                        .fanoutRates());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"fanin"}, repo));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--rate", "1"}, repo));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--systems", "x"}, repo));
    }

    @Test
    void compressionRunsOnlyWhenNamed() {
        Path repo = Path.of(".."); // the repository root (tests run in deploy/): the image flags are read from it
        assertFalse(LoadOptions.parse(new String[0], repo).scenarios().contains("compression"));
        LoadOptions o = LoadOptions.parse(new String[] {"compression", "--compression-clients", "5"}, repo);
        assertEquals(List.of("compression"), o.scenarios());
        assertEquals(5, o.compressionClients());
        assertEquals(2_000, o.compressionEvents());
    }

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
