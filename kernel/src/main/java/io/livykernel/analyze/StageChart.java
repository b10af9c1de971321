package io.livykernel.analyze;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A PNG of the stages' wall-clock times, drawn with Java2D (headless): one bar per stage coloured by the worst
 * finding naming it, with the median and longest task marked so skew shows as a long gap between the two ticks.
 */
public final class StageChart {
    static final int MAX_STAGES = 30;
    private static final int WIDTH = 800;
    private static final int ROW = 18;
    private static final int LEFT = 150;
    private static final int TOP = 40;
    private static final Map<Severity, Color> BARS = Map.of(Severity.NONE, new Color(0x66bb6a),
            Severity.LOW, new Color(0xd4c200), Severity.MODERATE, new Color(0xffa726), Severity.SEVERE,
            new Color(0xf4511e), Severity.CRITICAL, new Color(0xc62828));

    private StageChart() {
    }

    /** The PNG bytes, or null when no stage has a known duration. */
    public static byte[] png(Report report) {
        System.setProperty("java.awt.headless", "true");
        List<Report.StageTiming> stages = report.stages().stream().filter(s -> s.wallClockMs() >= 0)
                .sorted(Comparator.comparingLong(Report.StageTiming::wallClockMs).reversed()).limit(MAX_STAGES)
                .sorted(Comparator.comparingInt(Report.StageTiming::stageId)).toList();
        if (stages.isEmpty()) {
            return null;
        }
        long longest = Math.max(1, stages.stream().mapToLong(Report.StageTiming::wallClockMs).max().orElse(1));
        int height = TOP + stages.size() * ROW + 40;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString("Stage wall-clock time of " + report.appId()
                    + " (black tick: median task, purple: longest task)", 10, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            double scale = (WIDTH - LEFT - 20) / (double) longest;
            for (int i = 0; i < stages.size(); i++) {
                Report.StageTiming s = stages.get(i);
                int y = TOP + i * ROW;
                g.setColor(Color.DARK_GRAY);
                g.drawString("stage " + s.stageId() + (s.jobGroup() == null ? "" : " (st. " + s.jobGroup() + ")"),
                        8, y + ROW - 5);
                g.setColor(BARS.get(s.severity()));
                g.fillRect(LEFT, y + 3, Math.max(1, (int) (s.wallClockMs() * scale)), ROW - 6);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(2));
                if (s.medianTaskMs() >= 0) {
                    int x = LEFT + (int) (Math.min(s.medianTaskMs(), longest) * scale);
                    g.drawLine(x, y + 1, x, y + ROW - 1);
                }
                if (s.maxTaskMs() >= 0) {
                    int x = LEFT + (int) (Math.min(s.maxTaskMs(), longest) * scale);
                    g.setColor(new Color(0x6a1b9a));
                    g.fillRect(x - 2, y + 1, 4, ROW - 2);
                }
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString("0", LEFT, height - 18);
            g.drawString(Sizes.millis(longest), WIDTH - 80, height - 18);
            int x = LEFT + 60;
            for (Severity sev : Severity.values()) {
                g.setColor(BARS.get(sev));
                g.fillRect(x, height - 28, 12, 12);
                g.setColor(Color.DARK_GRAY);
                g.drawString(sev.label(), x + 15, height - 18);
                x += 85;
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
