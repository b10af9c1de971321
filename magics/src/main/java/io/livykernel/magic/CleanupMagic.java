package io.livykernel.magic;

import io.livykernel.execution.CellOutput;
import io.livykernel.execution.CellResult;
import io.livykernel.execution.UserFacingException;
import io.livykernel.extension.KernelContext;
import java.util.List;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code %%cleanup -f}: deletes all of this user's sessions on the endpoint (unlike sparkmagic, not others'). */
final class CleanupMagic extends BaseMagic {
    CleanupMagic() {
        super("cleanup", Form.LINE_OR_CELL, Body.NONE,
                "Delete all of your sessions on the endpoint, this notebook's included (-f is required).",
                "%%cleanup -f",
                new Options().addOption(Option.builder("f").longOpt("force")
                .desc("confirm: every one of your sessions, and what it computed, is lost").build()));
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        var remote = Remote.require(context, "%%cleanup");
        if (!call.flags().hasOption("f")) {
            throw new UserFacingException("UsageError", "%%cleanup deletes all of your sessions on "
                    + remote.endpoint() + ", this notebook's included. Add -f if that is what you want."
                    + " Nothing was deleted.");
        }
        List<Integer> deleted = remote.deleteAllOfUser();
        out.print(deleted.isEmpty() ? "You had no sessions on " + remote.endpoint() + ".\n"
                : "Deleted sessions " + deleted + ". The next cell starts a new session for this notebook.\n");
        return CellResult.ok();
    }
}
