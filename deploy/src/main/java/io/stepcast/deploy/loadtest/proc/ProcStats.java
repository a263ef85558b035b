package io.stepcast.deploy.loadtest.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of a process and all its descendants (a node cluster is a primary
 * plus workers), read from {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}.
 *
 * @param cpuSeconds user + system CPU seconds consumed so far
 * @param rssBytes   resident set size (VmRSS) now
 * @param processes  how many processes were summed
 * @param sysSeconds the part of {@code cpuSeconds} spent in the kernel (system calls, loopback TCP)
 */
public record ProcStats(double cpuSeconds, long rssBytes, int processes, double sysSeconds) {

    /** Clock ticks per second of utime/stime; 100 on every Linux this runs on (getconf CLK_TCK). */
    static final double CLK_TCK = 100.0;

    /** The process tree rooted at {@code pid}; zeros if it is gone. */
    public static ProcStats tree(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        collectChildren(pid, pids);
        return sum(pids);
    }

    /** This JVM (the load generator) alone: the servers it started are its children, not counted. */
    public static ProcStats self() {
        return sum(List.of(ProcessHandle.current().pid()));
    }

    private static ProcStats sum(List<Long> pids) {
        double cpu = 0;
        double sys = 0;
        long rss = 0;
        int n = 0;
        for (long p : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p), "stat"));
                cpu += cpuSeconds(stat);
                sys += sysSeconds(stat);
                rss += rssBytes(Files.readString(Path.of("/proc", Long.toString(p), "status")));
                n++;
            } catch (IOException gone) {
                // exited between listing and reading
            }
        }
        return new ProcStats(cpu, rss, n, sys);
    }

    /** Difference of CPU seconds; RSS is the later reading's. */
    public ProcStats since(ProcStats earlier) {
        return new ProcStats(cpuSeconds - earlier.cpuSeconds, rssBytes, processes, sysSeconds - earlier.sysSeconds);
    }

    static double cpuSeconds(String stat) {
        // pid (comm) state ppid … : comm may contain spaces, so count fields after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // after ')' field 0 is state (field 3 of the man page): utime = 14, stime = 15
        long utime = Long.parseLong(f[14 - 3]);
        long stime = Long.parseLong(f[15 - 3]);
        return (utime + stime) / CLK_TCK;
    }

    static double sysSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        return Long.parseLong(f[15 - 3]) / CLK_TCK;
    }

    static long rssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split(" +");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return 0;
    }

    static long ppid(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        return Long.parseLong(f[1]);
    }

    private static void collectChildren(long parent, List<Long> out) {
        // /proc/<pid>/task/<tid>/children needs CONFIG_PROC_CHILDREN; scanning /proc always works
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            List<Long> children = new ArrayList<>();
            entries.map(p -> p.getFileName().toString())
                    .filter(s -> s.chars().allMatch(Character::isDigit))
                    .forEach(s -> {
                        try {
                            if (ppid(Files.readString(Path.of("/proc", s, "stat"))) == parent) {
                                children.add(Long.parseLong(s));
                            }
                        } catch (IOException | RuntimeException ignored) {
                            // gone, or not readable
                        }
                    });
            for (long c : children) {
                out.add(c);
                collectChildren(c, out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
    }
}
