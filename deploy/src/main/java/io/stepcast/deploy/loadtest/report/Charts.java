package io.stepcast.deploy.loadtest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * fanout.png and saturation.png (Java2D, no dependency): left, p50 (dashed) and p99 (solid) latency
 * against the offered rate on a log scale; right, delivered/s against the offered rate with the
 * ideal (rate × subscribers). idle.png: {@link IdleChart}.
 */
public final class Charts {

    static final Map<String, Color> COLORS = Map.of(
            "stepcast",
            new Color(0x1f77b4),
            "socketio",
            new Color(0xff7f0e),
            "netty",
            new Color(0x2ca02c),
            "netty-plain",
            new Color(0x9467bd),
            "stepcast-cluster",
            new Color(0x17becf));
    private static final int W = 1400;
    private static final int H = 560;

    private Charts() {}

    public static void write(Map<String, Object> scenarios, Path out) throws IOException {
        Map<String, List<RateStep>> fanout = new LinkedHashMap<>();
        Goals.map(scenarios.get("fanout")).forEach((k, v) -> {
            if (v instanceof List<?> l && !l.isEmpty()) {
                List<RateStep> steps = new ArrayList<>();
                l.forEach(s -> steps.add((RateStep) s));
                fanout.put((String) k, steps);
            }
        });
        rates(fanout, "Fan-out", out.resolve("fanout.png"));
        Map<String, List<RateStep>> saturation = new LinkedHashMap<>();
        Goals.map(scenarios.get("saturation")).forEach((k, v) -> {
            if (v instanceof SaturationResult r && !r.steps().isEmpty()) {
                List<RateStep> steps = new ArrayList<>(r.steps());
                steps.sort(Comparator.comparingDouble(RateStep::offeredRate)); // bisection steps run out of order
                saturation.put((String) k, steps);
            }
        });
        rates(saturation, "Saturation", out.resolve("saturation.png"));
        IdleChart.write(Goals.map(scenarios.get("idle")), out.resolve("idle.png"));
    }

    /** Latency and throughput against the offered rate, one line per system. */
    private static void rates(Map<String, List<RateStep>> fanout, String title, Path file) throws IOException {
        if (fanout.isEmpty()) {
            return;
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double maxRate = fanout.values().stream()
                .flatMap(List::stream)
                .mapToDouble(RateStep::offeredRate)
                .max()
                .orElse(1);
        int subs = fanout.values().stream()
                .flatMap(List::stream)
                .mapToInt(RateStep::subscribers)
                .max()
                .orElse(1);
        // latency panel (log10 ms)
        double maxLat = fanout.values().stream()
                .flatMap(List::stream)
                .mapToDouble(s -> s.latency().p99Ms())
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(10);
        double minLat = fanout.values().stream()
                .flatMap(List::stream)
                .mapToDouble(s -> s.latency().p50Ms())
                .filter(v -> !Double.isNaN(v) && v > 0)
                .min()
                .orElse(0.1);
        double lo = Math.floor(Math.log10(Math.max(0.01, minLat)));
        double hi = Math.ceil(Math.log10(Math.max(maxLat, Math.pow(10, lo + 1))));
        Panel lat = new Panel(g, 80, 60, 560, 400, 0, maxRate * 1.05, lo, hi, true);
        lat.frame(title + " latency (" + subs + " subscribers): p99 solid, p50 dashed", "offered events/s", "ms (log)");
        Panel thr = new Panel(g, 780, 60, 560, 400, 0, maxRate * 1.05, 0, maxRate * subs * 1.1, false);
        thr.frame(title + " delivered/s vs offered (ideal dotted)", "offered events/s", "deliveries/s");
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {2, 4}, 0));
        g.drawLine(thr.x(0), thr.y(0), thr.x(maxRate), thr.y(maxRate * subs));
        int legend = 0;
        for (Map.Entry<String, List<RateStep>> e : fanout.entrySet()) {
            Color c = COLORS.getOrDefault(e.getKey(), Color.BLACK);
            lat.series(e.getValue(), s -> s.latency().p99Ms(), c, false);
            lat.series(e.getValue(), s -> s.latency().p50Ms(), c, true);
            thr.series(e.getValue(), RateStep::deliveredPerSec, c, false);
            g.setColor(c);
            g.setStroke(new BasicStroke(3));
            g.drawLine(150 + legend * 300, 525, 180 + legend * 300, 525);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
            g.drawString(label(e.getKey()), 188 + legend * 300, 530);
            legend++;
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** Redraws the charts from a results.json: {@code Charts <results.json> <out dir>}. */
    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<?, ?> results = json.readValue(Path.of(args[0]).toFile(), Map.class);
        Map<?, ?> sc = Goals.map(results.get("scenarios"));
        Map<String, Object> fanout = new LinkedHashMap<>();
        Goals.map(sc.get("fanout")).forEach((k, v) -> {
            if (v instanceof List<?> l) {
                fanout.put(
                        (String) k,
                        l.stream()
                                .map(s -> json.convertValue(s, RateStep.class))
                                .toList());
            }
        });
        Map<String, Object> saturation = new LinkedHashMap<>();
        Goals.map(sc.get("saturation")).forEach((k, v) -> {
            if (Goals.map(v).containsKey("steps")) {
                saturation.put((String) k, json.convertValue(v, SaturationResult.class));
            }
        });
        Map<String, Object> idle = new LinkedHashMap<>();
        Goals.map(sc.get("idle")).forEach((k, v) -> {
            if (v instanceof List<?> l) {
                idle.put(
                        (String) k,
                        l.stream()
                                .map(s -> json.convertValue(s, IdleResult.class))
                                .toList());
            }
        });
        write(Map.of("fanout", fanout, "saturation", saturation, "idle", idle), Path.of(args[1]));
    }

    static String label(String system) {
        return switch (system) {
            case "stepcast" -> "Stepcast gateway";
            case "socketio" -> "Socket.IO 4.8 + Redis adapter";
            case "netty" -> "raw Netty ceiling";
            case "netty-plain" -> "raw Netty, plain (reference)";
            case "stepcast-cluster" -> "Stepcast gateway, Redis Cluster";
            default -> system;
        };
    }

    private record Panel(
            Graphics2D g, int left, int top, int w, int h, double x0, double x1, double y0, double y1, boolean log) {

        int x(double v) {
            return left + (int) Math.round((v - x0) / (x1 - x0) * w);
        }

        int y(double v) {
            double t = log ? Math.log10(Math.max(v, Math.pow(10, y0))) : v;
            return top + h - (int) Math.round((t - y0) / (y1 - y0) * h);
        }

        void frame(String title, String xLabel, String yLabel) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, left, top - 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.setStroke(new BasicStroke(1));
            g.drawRect(left, top, w, h);
            g.drawString(xLabel, left + w / 2 - 50, top + h + 40);
            g.drawString(yLabel, left - 70, top - 5);
            double step = x1 > 2500 ? 500 : x1 > 1000 ? 200 : x1 > 250 ? 100 : x1 > 100 ? 50 : 10;
            for (double v = 0; v <= x1; v += step) {
                g.drawString(String.format("%.0f", v), x(v) - 12, top + h + 18);
            }
            if (log) {
                for (int e = (int) y0; e <= (int) y1; e++) {
                    double v = Math.pow(10, e);
                    grid(v, v >= 1 ? String.format("%.0f", v) : String.format("%.2f", v));
                }
            } else {
                for (int i = 0; i <= 5; i++) {
                    double v = y0 + (y1 - y0) * i / 5;
                    grid(v, v >= 1000 ? String.format("%.0fk", v / 1000) : String.format("%.0f", v));
                }
            }
        }

        private void grid(double v, String text) {
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y(v), left + w, y(v));
            g.setColor(Color.BLACK);
            g.drawString(text, left - 55, y(v) + 5);
        }

        void series(List<RateStep> steps, ToDoubleFunction<RateStep> f, Color c, boolean dashed) {
            g.setColor(c);
            g.setStroke(
                    dashed
                            ? new BasicStroke(
                                    2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {8, 6}, 0)
                            : new BasicStroke(3));
            int px = -1;
            int py = -1;
            for (RateStep s : steps) {
                double v = f.applyAsDouble(s);
                if (Double.isNaN(v)) {
                    continue;
                }
                int cx = x(s.offeredRate());
                int cy = y(v);
                g.fillOval(cx - 4, cy - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                }
                px = cx;
                py = cy;
            }
        }
    }
}
