package io.stepcast.deploy.loadtest.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * idle.png: RSS per idle connection, one bar per round, grouped by system, with each system's
 * min/median/max above its group and the goal (8 KiB) as a dashed line.
 */
final class IdleChart {

    private static final int W = 1000;
    private static final int H = 560;

    private IdleChart() {}

    static void write(Map<?, ?> idle, Path file) throws IOException {
        Map<String, List<IdleResult>> bySystem = new LinkedHashMap<>();
        idle.forEach((k, v) -> {
            List<IdleResult> rounds = SaturationGoals.rounds(v);
            if (!rounds.isEmpty()) {
                bySystem.put(String.valueOf(k), rounds);
            }
        });
        if (bySystem.isEmpty()) {
            return;
        }
        double max = bySystem.values().stream()
                .flatMap(List::stream)
                .mapToDouble(r -> r.rssPerConnBytes() / 1024)
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(1);
        double top = Math.ceil(Math.max(max, Goals.IDLE_LIMIT_BYTES / 1024) * 1.2);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int left = 90;
        int plotTop = 70;
        int w = W - left - 40;
        int h = H - plotTop - 90;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Idle RSS per subscribed connection, one bar per round (fresh server each)", left, plotTop - 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawRect(left, plotTop, w, h);
        g.drawString("KiB", left - 50, plotTop - 5);
        for (int i = 0; i <= 5; i++) {
            double v = top * i / 5;
            int y = plotTop + h - (int) Math.round(v / top * h);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, left + w, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.1f", v), left - 45, y + 5);
        }
        int goalY = plotTop + h - (int) Math.round(Goals.IDLE_LIMIT_BYTES / 1024 / top * h);
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
        g.drawLine(left, goalY, left + w, goalY);
        g.drawString("goal 8 KiB", left + 5, goalY - 5);
        int groupW = w / bySystem.size();
        int gi = 0;
        for (Map.Entry<String, List<IdleResult>> e : bySystem.entrySet()) {
            List<IdleResult> rounds = e.getValue();
            Color c = Charts.COLORS.getOrDefault(e.getKey(), Color.GRAY);
            int x0 = left + gi * groupW + groupW / 8;
            int barW = (groupW * 3 / 4) / rounds.size();
            for (int i = 0; i < rounds.size(); i++) {
                double v = rounds.get(i).rssPerConnBytes() / 1024;
                int bh = Double.isNaN(v) ? 0 : (int) Math.round(Math.max(0, v) / top * h);
                int x = x0 + i * barW;
                g.setColor(c);
                g.fillRect(x + 2, plotTop + h - bh, barW - 4, bh);
                g.setColor(Color.BLACK);
                g.drawString(String.format("%.1f", v), x + barW / 2 - 12, plotTop + h - bh - 4);
                g.drawString("r" + rounds.get(i).round(), x + barW / 2 - 6, plotTop + h + 16);
            }
            double[] s = SaturationGoals.stats(rounds);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(Charts.label(e.getKey()), x0, plotTop + h + 40);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(
                    String.format("min %.1f / median %.1f / max %.1f KiB", s[0], s[1], s[2]), x0, plotTop + h + 60);
            gi++;
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
