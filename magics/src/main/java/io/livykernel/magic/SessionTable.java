package io.livykernel.magic;

import io.livykernel.api.MimeBundle;
import io.livykernel.extension.SessionSummary;
import java.util.List;

/** Sessions as an HTML table with a plain-text twin (%%info, %attach, %%cleanup). */
final class SessionTable {
    private SessionTable() {
    }

    static MimeBundle of(List<SessionSummary> sessions, String currentId) {
        // Ids are the server's text: Livy's numbers are short, Lighter's UUIDs 36 characters.
        int idWidth = Math.max(6, sessions.stream().mapToInt(s -> s.id().length()).max().orElse(0));
        String row = "%-" + idWidth + "s %-32s %-8s %-12s %-12s %s%n";
        StringBuilder text = new StringBuilder(String.format(row, "ID",
                "Spark application", "Kind", "State", "User", "This notebook"));
        StringBuilder html = new StringBuilder("<table><tr><th>ID</th><th>Spark application</th><th>Kind</th>"
                + "<th>State</th><th>User</th><th>Spark UI</th><th>Driver log</th><th>This notebook</th></tr>");
        for (SessionSummary s : sessions) {
            boolean current = currentId != null && currentId.equals(s.id());
            text.append(String.format(row, s.id(), dash(s.appId()), dash(s.kind()),
                    dash(s.state()), dash(s.user()), current ? "yes" : ""));
            html.append("<tr><td>").append(Html.escape(s.id())).append("</td><td>").append(Html.escape(dash(s.appId())))
                    .append("</td><td>").append(Html.escape(dash(s.kind()))).append("</td><td>")
                    .append(Html.escape(dash(s.state()))).append("</td><td>").append(Html.escape(dash(s.user())))
                    .append("</td><td>").append(link(s.sparkUiUrl())).append("</td><td>").append(link(s.driverLogUrl()))
                    .append("</td><td>").append(current ? "\u2714" : "").append("</td></tr>");
        }
        return MimeBundle.textAndHtml(text.toString().stripTrailing(), html.append("</table>").toString());
    }

    private static String link(String url) {
        return url == null || url.isEmpty() ? "-" : "<a href=\"" + Html.escape(url) + "\" target=\"_blank\">Link</a>";
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
