package io.livykernel.analyze;

import java.util.Locale;

/** The report as plain text, for terminals, logs and nbconvert. */
public final class TextReport {
    private TextReport() {
    }

    public static String render(Report r) {
        StringBuilder out = new StringBuilder();
        out.append("Spark performance report for ").append(r.appId())
                .append(r.appName() == null ? "" : " (" + r.appName() + ")").append('\n');
        out.append("Spark ").append(r.sparkVersion() == null ? "version unknown" : r.sparkVersion()).append(", ")
                .append(r.completed() ? "finished" : "still running").append(", run time ")
                .append(Sizes.millis(r.durationMs())).append(", metrics from ").append(r.source()).append('\n');
        if (r.usage() != null) {
            out.append(r.usage().line()).append('\n');
        }
        out.append("Worst severity: ").append(r.worst().label()).append("\n\n");
        for (Finding f : r.findings()) {
            out.append(String.format(Locale.ROOT, "[%-8s] %s (%s)%n", f.severity().name(), f.title(),
                    f.heuristic()));
            out.append("    ").append(f.summary()).append('\n');
            if (f.severity() == Severity.NONE) {
                continue;
            }
            f.figures().forEach(fig -> out.append("    - ").append(fig.name()).append(": ").append(fig.value())
                    .append('\n'));
            f.details().forEach(d -> out.append("    * ").append(d).append('\n'));
            for (Finding.Advice a : f.advice()) {
                out.append("    > ").append(a.setting() == null ? "" : a.setting() + "=" + a.value() + ": ")
                        .append(a.why()).append('\n');
            }
        }
        if (!r.notComputed().isEmpty()) {
            out.append("\nNot computed:\n");
            r.notComputed().forEach(n -> out.append("  ").append(n.title()).append(" (").append(n.heuristic())
                    .append("): ").append(n.reason()).append('\n'));
        }
        if (!r.unavailable().isEmpty()) {
            out.append("\nMetrics that could not be read:\n");
            r.unavailable().forEach(u -> out.append("  ").append(u.resource()).append(": ").append(u.reason())
                    .append('\n'));
        }
        return out.toString();
    }
}
