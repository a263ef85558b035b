package io.stepcast.deploy.loadtest.report;

/**
 * wrk against the gateway's snapshot endpoint.
 *
 * @param path           {@code 200} (full snapshot) or {@code 304} (If-None-Match with the current ETag)
 * @param status         the status one probe request got on that path
 * @param bodyBytes      size of the snapshot body on the 200 path
 * @param non2xx3xx      responses wrk counted as errors
 * @param serverCpuPercent gateway CPU during the wrk run, 100 = one core
 */
public record PollResult(
        String path,
        int status,
        int bodyBytes,
        int connections,
        double seconds,
        double requestsPerSec,
        String p50,
        String p90,
        String p99,
        long non2xx3xx,
        String socketErrors,
        double serverCpuPercent,
        String load) {}
