package io.stepcast.deploy.loadtest.report;

/**
 * One round of the compression scenario: the same event stream to {@code clients} clients that offer
 * permessage-deflate, with the gateway's {@code stepcast.ws.compression} off or on.
 *
 * @param wireBytesPerFrame    bytes the clients read from their sockets per delivered event frame
 * @param serverCpuMsPer1000   CPU time of the gateway process per 1 000 delivered frames
 * @param warmUp               true for the first round of each setting (JIT warm-up; not the figure)
 */
public record CompressionResult(
        boolean compression,
        int clients,
        int events,
        long delivered,
        double wireBytesPerFrame,
        double serverCpuMsPer1000,
        boolean warmUp,
        String load) {}
