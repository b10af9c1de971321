package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import java.util.List;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code %%cleanup -f [--all-users]}: deletes this user's sessions on the endpoint (those this kernel
 * created, and those running as the user); unlike sparkmagic, other users' only when asked by name.
 */
final class CleanupMagic extends BaseMagic {
    CleanupMagic() {
        super("cleanup", Form.LINE_OR_CELL, Body.NONE,
                "Delete all of your sessions on the endpoint, this notebook's included (-f is required): those this"
                + " kernel created and those whose proxyUser (or owner) is you, i.e. JUPYTERHUB_USER, else the user"
                + " running the kernel. --all-users deletes everyone's sessions on the endpoint.",
                "%%cleanup -f",
                new Options().addOption(Option.builder("f").longOpt("force")
                        .desc("confirm: every one of your sessions, and what it computed, is lost").build())
                        .addOption(Option.builder().longOpt("all-users")
                        .desc("delete every session on the endpoint, other users' included (with -f)").build()));
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        var remote = Remote.require(context, "%%cleanup");
        boolean everyone = call.flags().hasOption("all-users");
        String whose = everyone ? "every session, other users' included," : "all of your sessions";
        if (!call.flags().hasOption("f")) {
            throw new UserFacingException("UsageError", "%%cleanup deletes " + whose + " on " + remote.endpoint()
                    + ", this notebook's included. Add -f if that is what you want. Nothing was deleted.");
        }
        List<String> deleted = remote.deleteAll(everyone);
        out.print(deleted.isEmpty() ? (everyone ? "There were no sessions on " : "You had no sessions on ")
                + remote.endpoint() + ".\n"
                : "Deleted sessions " + deleted + ". The next cell starts a new session for this notebook.\n");
        return CellResult.ok();
    }
}
