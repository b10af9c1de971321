package io.livykernel.magic;

import com.google.gson.GsonBuilder;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.extension.SessionSummary;
import java.util.List;
import org.apache.commons.cli.Options;

/** {@code %%info}: the endpoint, this notebook's session, its settings, and the user's other sessions. */
final class InfoMagic extends BaseMagic {
    InfoMagic() {
        super("info", Form.LINE_OR_CELL, Body.NONE,
                "Show the Livy endpoint, this notebook's session (with Spark UI and driver log links), its settings,"
                + " and your other sessions on the endpoint.",
                "%%info",
                new Options());
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        RemoteSessions remote = Remote.require(context, "%%info");
        SessionSummary current = remote.current();
        String settings = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(SessionSettings.redacted(remote.effectiveRequest()));
        String usage = current == null ? null : remote.usage();
        String reclaim = current == null ? null : remote.reclaim();
        String state = current == null ? "No session yet: the next cell starts one."
                : "This notebook's session: " + current.id() + (current.name() == null ? "" : " " + current.name())
                + " (" + current.state() + ")" + (usage == null ? "" : "\n" + usage)
                + (reclaim == null ? "" : "\n" + reclaim);
        out.display(MimeBundle.textAndHtml("Livy endpoint: " + remote.endpoint() + "\n" + state
                        + "\nSession settings:\n" + settings,
                "<div>Livy endpoint: <code>" + Html.escape(remote.endpoint()) + "</code></div><div>"
                        + Html.escape(state) + "</div><details><summary>Session settings</summary><pre>"
                        + Html.escape(settings) + "</pre></details>"));
        List<SessionSummary> mine = remote.userSessions();
        if (mine.isEmpty()) {
            out.display(MimeBundle.text("You have no sessions on this endpoint."));
        } else {
            out.display(SessionTable.of(mine, current == null ? null : current.id()));
        }
        return CellResult.ok();
    }
}
