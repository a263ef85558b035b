package io.stepcast.deploy.loadtest.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Busy CPU seconds of the whole machine from the first line of {@code /proc/stat}. Subtracting the
 * benchmark's own processes (server, load generator, Redis) gives the <em>foreign</em> CPU in a
 * window: work of other programs that disturbed the measurement (the load average cannot tell,
 * since it counts the benchmark's own threads too).
 */
public final class MachineCpu {

    private MachineCpu() {}

    /** user + nice + system + irq + softirq + steal seconds since boot. */
    public static double busySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / ProcStats.CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
