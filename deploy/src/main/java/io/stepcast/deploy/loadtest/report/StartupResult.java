package io.stepcast.deploy.loadtest.report;

import java.util.List;

/**
 * One start-up variant (JVM, flags, cache) over several cold starts: medians of the per-run figures,
 * and the RSS with 1,000 idle connections (once, after the last run).
 *
 * @param variant        e.g. {@code jdk25-aot}
 * @param java           the java binary's version line
 * @param command        the JVM flags the variant adds (without the application's arguments)
 * @param runs           every cold start, in order
 * @param readyMs        median of (a): process start → {@code /health/readiness} 200 (raw ceiling: port accepts)
 * @param firstEventMs   median of (b): process start → first event at the already-retrying client
 *                       (raw ceiling: its {@code subscribed} frame, it has no log to resume from)
 * @param cpuAtReadyS    median CPU seconds the process had used at readiness (less sensitive to a busy machine)
 * @param rssStartMb     median RSS 2 s after the first client was served
 * @param idleConnections connections opened for the idle reading (0: not measured)
 * @param rssIdleMb      RSS with them open, after settling
 * @param skipped        why the variant did not run, or null
 */
public record StartupResult(
        String variant,
        String java,
        String command,
        List<StartupRun> runs,
        double readyMs,
        double firstEventMs,
        double cpuAtReadyS,
        double rssStartMb,
        int idleConnections,
        double rssIdleMb,
        String skipped) {

    /**
     * One cold start.
     *
     * @param resumedEvents events delivered to the resuming client after its cursor
     * @param expectedEvents events published after its cursor before the start
     * @param gapFree        the resumed events were exactly since+1..last, in order, no duplicate
     * @param attempts       connection attempts of the retrying client before it got in
     * @param load           1-minute load average at the start
     */
    public record StartupRun(
            double readyMs,
            double firstEventMs,
            double cpuAtReadyS,
            double rssStartMb,
            int resumedEvents,
            int expectedEvents,
            boolean gapFree,
            int attempts,
            String load) {}

    public static StartupResult skipped(String variant, String why) {
        return new StartupResult(
                variant, "", "", List.of(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, why);
    }

    /** Median of the values (NaN for none). */
    public static double median(List<Double> values) {
        List<Double> v = values.stream().filter(d -> !Double.isNaN(d)).sorted().toList();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }
}
