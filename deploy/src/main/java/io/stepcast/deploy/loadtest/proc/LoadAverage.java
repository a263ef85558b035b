package io.stepcast.deploy.loadtest.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1/5/15-minute load averages from {@code /proc/loadavg}. */
public record LoadAverage(double one, double five, double fifteen) {

    public static LoadAverage now() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" +");
            return new LoadAverage(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (IOException e) {
            return new LoadAverage(-1, -1, -1);
        }
    }

    @Override
    public String toString() {
        return one + " " + five + " " + fifteen;
    }
}
