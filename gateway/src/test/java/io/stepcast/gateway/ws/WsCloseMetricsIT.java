package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import org.junit.jupiter.api.Test;

/** {@code stepcast.connection.closes{code}} tells the gateway's own faults from clients that went away. */
class WsCloseMetricsIT {

    private static double closes(MeterRegistry meters, String code) {
        return meters.counter("stepcast.connection.closes", "code", code).count();
    }

    @Test
    void aClientThatResetsItsConnectionCountsAsPeerGoneNotAsInternalError() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            g.context().getBean(WsMetrics.class); // the meters are registered
            MeterRegistry meters = g.context().getBean(MeterRegistry.class);
            double internal = closes(meters, "1011");
            double gone = closes(meters, "peer_gone");
            ConnectionRegistry registry = g.context().getBean(ConnectionRegistry.class);
            RawWsClient client = new RawWsClient(g.port(), null, 0);
            client.sendText("{\"type\":\"subscribe\",\"plan_id\":\"" + WsStreamIT.plan("gone") + "\"}");
            await().atMost(WsClient.WAIT).until(() -> registry.size() > 0);
            client.reset();
            await().atMost(WsClient.WAIT)
                    .until(() -> closes(meters, "peer_gone") > gone || closes(meters, "1011") > internal);
            assertEquals(internal, closes(meters, "1011"), "a reset by the client is not an internal error");
            assertEquals(gone + 1, closes(meters, "peer_gone"));
        }
    }
}
