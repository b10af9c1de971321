package io.livykernel.backend.livy.view;

import io.livykernel.api.MimeBundle;
import io.livykernel.backend.livy.rest.AppInfo;
import io.livykernel.backend.livy.rest.LivySession;
import java.util.List;

/**
 * How a Livy session looks in the notebook: the start-up progress line and the summary table. The session is
 * named as Livy names it, and its Spark application in the words of where it runs ({@link SparkCluster}): its id
 * and "on YARN", its id, "on Kubernetes" and the driver pod, or, for a session of a local-mode Livy (which never
 * fills appId or appInfo), plainly local mode.
 */
public final class SessionViews {
    private SessionViews() {
    }

    public static MimeBundle starting(LivySession s, String endpoint, long elapsedMillis, String warning) {
        String app = application(s);
        String text = "Starting Spark session " + s.id() + named(s) + " on " + endpoint + ": " + s.rawState() + ", "
                + seconds(elapsedMillis) + ", " + app
                + (warning == null ? "" : "\n" + warning);
        String html = "<div><b>Starting Spark session " + s.id() + "</b>" + escape(named(s)) + " on " + escape(endpoint)
                + ": <code>" + escape(String.valueOf(s.rawState())) + "</code>, " + seconds(elapsedMillis) + ", "
                + escape(app) + (warning == null ? "" : "<br><span style=\"color:#b45309\">" + escape(warning)
                + "</span>") + "</div>";
        return MimeBundle.textAndHtml(text, html);
    }

    public static MimeBundle summary(LivySession s, String endpoint, String user) {
        return summary(s, endpoint, user, s.log());
    }

    /** The summary, with {@code log} (more of the session's log than its last lines) to find a driver pod in. */
    public static MimeBundle summary(LivySession s, String endpoint, String user, List<String> log) {
        AppInfo info = s.appInfo();
        String ui = info == null ? null : info.sparkUiUrl();
        String driverLog = info == null ? null : info.driverLogUrl();
        SparkCluster cluster = SparkCluster.of(s);
        String appLabel = cluster == SparkCluster.LOCAL ? "Spark application" : "Application";
        String app = cluster == SparkCluster.LOCAL ? "local mode, no cluster application"
                : orDash(s.appId()) + (cluster.words() == null ? "" : " on " + cluster.words())
                + (cluster == SparkCluster.KUBERNETES ? SparkCluster.driverPod(log).map(pod -> ", driver pod " + pod)
                .orElse("") : "");
        String text = "Spark session " + s.id() + named(s) + " is " + s.rawState() + " on " + endpoint + "\n"
                + "  " + appLabel + ": " + app + "\n"
                + "  kind: " + orDash(s.kind()) + ", user: " + orDash(user) + "\n"
                + "  Spark UI: " + orDash(ui) + "\n"
                + "  driver log: " + orDash(driverLog);
        String html = "<table><tr><th>Session</th><th>Name</th><th>" + appLabel + "</th><th>Kind</th><th>State</th>"
                + "<th>Spark UI</th><th>Driver log</th><th>User</th></tr><tr><td>" + s.id() + "</td><td>"
                + escape(orDash(s.name())) + "</td><td>" + escape(app) + "</td><td>" + escape(orDash(s.kind()))
                + "</td><td>" + escape(String.valueOf(s.rawState())) + "</td><td>" + link(ui) + "</td><td>"
                + link(driverLog) + "</td><td>" + escape(orDash(user)) + "</td></tr></table>";
        return MimeBundle.textAndHtml(text, html);
    }

    /** Where the session's Spark application stands, in words that fit its deploy mode. */
    static String application(LivySession s) {
        SparkCluster cluster = SparkCluster.of(s);
        if (!blank(s.appId())) {
            return "application " + s.appId() + (cluster.words() == null ? "" : " on " + cluster.words());
        }
        return cluster == SparkCluster.LOCAL ? "Spark application: local mode, no cluster application"
                : "application id not assigned yet";
    }

    /** True for a ready session that Livy runs without a cluster manager (see {@link SparkCluster#of}). */
    static boolean isLocalMode(LivySession s) {
        return SparkCluster.of(s) == SparkCluster.LOCAL;
    }

    private static String named(LivySession s) {
        return blank(s.name()) ? "" : " (" + s.name() + ")";
    }

    public static String lastLines(List<String> log, int n) {
        if (log == null || log.isEmpty()) {
            return "  (the server returned no log lines)";
        }
        List<String> tail = log.subList(Math.max(0, log.size() - n), log.size());
        return "  " + String.join("\n  ", tail);
    }

    public static String seconds(long millis) {
        return millis < 10_000 ? String.format("%.1f s", millis / 1000.0) : (millis / 1000) + " s";
    }

    private static String link(String url) {
        return url == null ? "-" : "<a href=\"" + escape(url) + "\" target=\"_blank\">Link</a>";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String orDash(String s) {
        return blank(s) ? "-" : s;
    }

    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
