package io.stepcast.deploy.loadtest.report;

/**
 * One system at one offered event rate (fan-out step, or the wide scenario).
 *
 * @param offeredRate      events/s published
 * @param subscribers      connections subscribed when the step started
 * @param published        events published in the measured window
 * @param deliveredPerSec  events received by all clients per second of the measured window
 * @param expected         deliveries due for the whole step (warm-up + measure) = events × subscribers
 * @param lost             deliveries missing after the drain (gaps plus tail), over the whole step
 * @param duplicated       deliveries of a seq a client already had
 * @param closed           connections closed by the server during the step
 * @param latency          publish→receive of the events published in the measured window
 * @param serverCpuPercent server CPU over the measured window, 100 = one core
 * @param serverRssBytes   server RSS at the end of the window
 * @param loadgenCpuPercent the load generator's own CPU (publisher + all clients), 100 = one core
 * @param load             the machine's load average at the end of the step
 * @param serverSysPercent  the kernel's share of the server CPU (system calls, loopback TCP)
 * @param foreignCpuPercent CPU used by other programs on the machine during the window (100 = one
 *                          core): above ~10% the step was disturbed and is not a valid figure
 * @param saturated        lost > 1% or p99 > 5 s: higher rates are skipped for this system
 */
public record RateStep(
        String system,
        double offeredRate,
        int subscribers,
        long published,
        double seconds,
        double deliveredPerSec,
        long expected,
        long lost,
        long duplicated,
        long closed,
        Latency latency,
        double serverCpuPercent,
        long serverRssBytes,
        double loadgenCpuPercent,
        String load,
        boolean saturated,
        long publishFailures,
        double serverSysPercent,
        double loadgenSysPercent,
        double foreignCpuPercent) {}
