package io.livykernel.magic;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.extension.SessionSummary;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code %%configure [-f]}: this notebook's session settings (any field of Livy's POST /sessions, plus
 * condaEnv), merged over the platform's defaults. Checked before anything is sent; a refusal changes
 * nothing. With a session running, -f deletes it and starts a new one with the new settings.
 */
final class ConfigureMagic extends BaseMagic {
    ConfigureMagic() {
        super("configure", Form.CELL, Body.REQUIRED,
                "Set this notebook's Spark session settings (JSON: driverMemory, executorMemory, numExecutors, conf,"
                + " archives, ..., and condaEnv for a packed Python environment). -f recreates a running session.",
                "%%configure -f\n{\"executorMemory\": \"4g\", \"numExecutors\": 4,\n \"condaEnv\": \"hdfs:///envs/team-ml.zip\","
                + "\n \"conf\": {\"spark.sql.shuffle.partitions\": \"64\"}}",
                new Options().addOption(Option.builder("f").longOpt("force")
                .desc("delete the running session and start a new one with these settings").build()));
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        RemoteSessions remote = Remote.require(context, "%%configure");
        JsonObject settings = SessionSettings.parse(call.body(), remote.lockedKeys());
        boolean force = call.flags().hasOption("f");
        SessionSummary running = remote.current();
        if (running != null && !force) {
            throw new UserFacingException("SessionAlreadyStarted", "Session " + running.id() + " is already running"
                    + " with the earlier settings, so nothing changed. To delete it and start a new one with these"
                    + " settings, use %%configure -f (its variables and cached data are lost).");
        }
        boolean deleted = remote.configure(settings, force);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(SessionSettings.redacted(remote.effectiveRequest()));
        String heading = running == null ? "The session will start with:"
                : "Session " + running.id() + (deleted ? " was deleted." : " (attached) was let go; it keeps running.")
                + " The new session starts with:";
        out.display(MimeBundle.textAndHtml(heading + "\n" + json, "<div>" + Html.escape(heading)
                + "</div><pre>" + Html.escape(json) + "</pre>"));
        if (running != null) {
            remote.start(out);
        }
        return CellResult.ok();
    }
}
