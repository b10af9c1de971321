package io.livykernel.backend.livy;

import io.livykernel.execution.MimeBundle;
import java.util.List;

/** How a Livy session looks in the notebook: the start-up progress line and the summary table. */
final class SessionViews {
    private SessionViews() {
    }

    static MimeBundle starting(LivySession s, String endpoint, long elapsedMillis, String warning) {
        String app = s.appId() == null ? "not assigned yet" : s.appId();
        String text = "Starting Spark session " + s.id() + " on " + endpoint + ": " + s.rawState() + ", "
                + seconds(elapsedMillis) + ", YARN application " + app
                + (warning == null ? "" : "\n" + warning);
        String html = "<div><b>Starting Spark session " + s.id() + "</b> on " + escape(endpoint) + ": <code>"
                + escape(String.valueOf(s.rawState())) + "</code>, " + seconds(elapsedMillis) + ", YARN application "
                + escape(app) + (warning == null ? "" : "<br><span style=\"color:#b45309\">" + escape(warning)
                + "</span>") + "</div>";
        return MimeBundle.textAndHtml(text, html);
    }

    static MimeBundle summary(LivySession s, String endpoint, String user) {
        AppInfo info = s.appInfo();
        String ui = info == null ? null : info.sparkUiUrl();
        String log = info == null ? null : info.driverLogUrl();
        String text = "Spark session " + s.id() + " is " + s.rawState() + " on " + endpoint + "\n"
                + "  YARN application: " + orDash(s.appId()) + "\n"
                + "  kind: " + orDash(s.kind()) + ", user: " + orDash(user) + "\n"
                + "  Spark UI: " + orDash(ui) + "\n"
                + "  driver log: " + orDash(log);
        String html = "<table><tr><th>Session</th><th>YARN application</th><th>Kind</th><th>State</th>"
                + "<th>Spark UI</th><th>Driver log</th><th>User</th></tr><tr><td>" + s.id() + "</td><td>"
                + escape(orDash(s.appId())) + "</td><td>" + escape(orDash(s.kind())) + "</td><td>"
                + escape(String.valueOf(s.rawState())) + "</td><td>" + link(ui) + "</td><td>" + link(log)
                + "</td><td>" + escape(orDash(user)) + "</td></tr></table>";
        return MimeBundle.textAndHtml(text, html);
    }

    static String lastLines(List<String> log, int n) {
        if (log == null || log.isEmpty()) {
            return "  (the server returned no log lines)";
        }
        List<String> tail = log.subList(Math.max(0, log.size() - n), log.size());
        return "  " + String.join("\n  ", tail);
    }

    static String seconds(long millis) {
        return millis < 10_000 ? String.format("%.1f s", millis / 1000.0) : (millis / 1000) + " s";
    }

    private static String link(String url) {
        return url == null ? "-" : "<a href=\"" + escape(url) + "\" target=\"_blank\">Link</a>";
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
