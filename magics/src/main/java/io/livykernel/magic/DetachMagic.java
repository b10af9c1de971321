package io.livykernel.magic;

import io.livykernel.execution.CellOutput;
import io.livykernel.execution.CellResult;
import io.livykernel.execution.UserFacingException;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.SessionSummary;
import org.apache.commons.cli.Options;

/** {@code %detach}: stops using an attached session (it keeps running); the next cell starts the notebook's own. */
final class DetachMagic extends BaseMagic {
    DetachMagic() {
        super("detach", Form.LINE_OR_CELL, Body.NONE,
                "Stop using the session %attach chose; it keeps running, and the next cell starts this notebook's own.",
                "%detach",
                new Options());
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context) throws UserFacingException {
        SessionSummary was = Remote.require(context, "%detach").detach();
        out.print("Detached from session " + was.id() + "; it keeps running.\n");
        return CellResult.ok();
    }
}
