package io.livykernel.analyze;

import java.util.Map;

/** The report as HTML for notebooks: a summary table coloured by severity, then each problem's figures and advice. */
public final class HtmlReport {
    /** Background colours by severity (Dr. Elephant's palette, softened for reading text on it). */
    static final Map<Severity, String> COLOURS = Map.of(Severity.NONE, "#e8f5e9", Severity.LOW, "#fffde7",
            Severity.MODERATE, "#fff3e0", Severity.SEVERE, "#ffe0b2", Severity.CRITICAL, "#ffcdd2");

    private HtmlReport() {
    }

    public static String render(Report r) {
        StringBuilder h = new StringBuilder("<div class=\"livy-kernel-analyze\">");
        h.append("<h4>Spark performance report: ").append(esc(r.appId()))
                .append(r.appName() == null ? "" : " (" + esc(r.appName()) + ")").append("</h4>");
        h.append("<p>Spark ").append(esc(r.sparkVersion() == null ? "version unknown" : r.sparkVersion()))
                .append(", ").append(r.completed() ? "finished" : "still running").append(", run time ")
                .append(esc(Sizes.millis(r.durationMs()))).append(". Worst severity: <b>").append(r.worst().label())
                .append("</b>.</p>");
        if (r.usage() != null) {
            h.append("<p>").append(esc(r.usage().line())).append("</p>");
        }
        h.append("<table><thead><tr><th>Severity</th><th>Heuristic</th><th>Finding</th><th>Stages (statements)</th>"
                + "</tr></thead><tbody>");
        for (Finding f : r.findings()) {
            h.append("<tr style=\"background:").append(COLOURS.get(f.severity())).append("\"><td><b>")
                    .append(f.severity().label()).append("</b></td><td>").append(esc(f.title())).append("</td><td>")
                    .append(esc(f.summary())).append("</td><td>").append(esc(where(f))).append("</td></tr>");
        }
        h.append("</tbody></table>");
        for (Finding f : r.findings()) {
            if (f.severity() == Severity.NONE) {
                continue;
            }
            h.append("<details").append(f.severity().atLeast(Severity.MODERATE) ? " open" : "").append("><summary>")
                    .append("<span style=\"background:").append(COLOURS.get(f.severity())).append("\">")
                    .append(f.severity().label()).append("</span> ").append(esc(f.title())).append("</summary><ul>");
            f.figures().forEach(fig -> h.append("<li>").append(esc(fig.name())).append(": <code>")
                    .append(esc(fig.value())).append("</code></li>"));
            f.details().forEach(d -> h.append("<li>").append(esc(d)).append("</li>"));
            h.append("</ul>");
            if (!f.advice().isEmpty()) {
                h.append("<p>Advice:</p><ul>");
                for (Finding.Advice a : f.advice()) {
                    h.append("<li>").append(a.setting() == null ? "" : "<code>" + esc(a.setting()) + "="
                            + esc(a.value()) + "</code>: ").append(esc(a.why())).append("</li>");
                }
                h.append("</ul>");
            }
            h.append("</details>");
        }
        if (!r.notComputed().isEmpty() || !r.unavailable().isEmpty()) {
            h.append("<p>Not computed:</p><ul>");
            r.notComputed().forEach(n -> h.append("<li>").append(esc(n.title())).append(": ").append(esc(n.reason()))
                    .append("</li>"));
            r.unavailable().forEach(u -> h.append("<li>metrics <code>").append(esc(u.resource()))
                    .append("</code>: ").append(esc(u.reason())).append("</li>"));
            h.append("</ul>");
        }
        return h.append("</div>").toString();
    }

    private static String where(Finding f) {
        if (f.stageIds().isEmpty()) {
            return "";
        }
        String stages = f.stageIds().size() > 8 ? f.stageIds().subList(0, 8) + "..." : f.stageIds().toString();
        return stages + (f.jobGroups().isEmpty() ? "" : " statements " + f.jobGroups());
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
