package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.SessionSummary;
import java.util.List;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code %attach -s ID}: uses an existing session (a warm one shared by a team, or the one a previous
 * kernel left behind) instead of this notebook's own. Attached sessions are not deleted when the kernel ends.
 */
final class AttachMagic extends BaseMagic {
    AttachMagic() {
        super("attach", Form.LINE_OR_CELL, Body.NONE,
                "Run this notebook's cells on an existing session; it is not deleted when the kernel ends"
                + " (%detach lets it go).",
                "%attach -s 7",
                new Options().addOption(Option.builder("s").longOpt("session").hasArg().argName("ID")
                .desc("the session to attach to (%%info lists yours)").build()));
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        var remote = Remote.require(context, "%attach");
        SessionSummary attached = remote.attach(Remote.sessionId(call.flags(), "%attach"));
        out.display(SessionTable.of(List.of(attached), attached.id()));
        out.print("Attached to session " + attached.id() + ". It keeps running when this kernel ends; %detach lets"
                + " it go.\n");
        return CellResult.ok();
    }
}
