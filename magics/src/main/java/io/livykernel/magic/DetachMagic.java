package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.extension.SessionSummary;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code %detach [--delete]}: stops using an attached session, which keeps running unless --delete asks to
 * delete it; the next cell starts the notebook's own.
 */
final class DetachMagic extends BaseMagic {
    DetachMagic() {
        super("detach", Form.LINE_OR_CELL, Body.NONE,
                "Stop using the session %attach chose; it keeps running (unless --delete), and the next cell starts"
                        + " this notebook's own.",
                "%detach",
                new Options().addOption(Option.builder().longOpt("delete")
                        .desc("also delete the attached session (everything it computed is lost)").build()));
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws UserFacingException, InterruptedException {
        RemoteSessions remote = Remote.require(context, "%detach");
        SessionSummary was = remote.detach();
        if (call.flags().hasOption("delete")) {
            remote.deleteOther(was.id());
            out.print("Detached from session " + was.id() + " and deleted it.\n");
        } else {
            out.print("Detached from session " + was.id() + "; it keeps running.\n");
        }
        return CellResult.ok();
    }
}
