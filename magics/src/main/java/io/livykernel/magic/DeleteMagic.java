package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code %%delete -f -s ID}: deletes another session of the endpoint (never this notebook's own). */
final class DeleteMagic extends BaseMagic {
    DeleteMagic() {
        super("delete", Form.LINE_OR_CELL, Body.NONE,
                "Delete another session of the endpoint by id (never this notebook's own); -f confirms.",
                "%%delete -f -s 12",
                new Options()
                .addOption(Option.builder("s").longOpt("session").hasArg().argName("ID").desc("the session to delete").build())
                .addOption(Option.builder("f").longOpt("force")
                        .desc("confirm: everything that session computed is lost").build()));
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        var remote = Remote.require(context, "%%delete");
        String id = Remote.sessionId(call.flags(), "%%delete");
        if (!call.flags().hasOption("f")) {
            throw new UserFacingException("UsageError", "Add -f to delete session " + id
                    + ": everything it computed is lost. Nothing was deleted.");
        }
        remote.deleteOther(id);
        out.print("Deleted session " + id + ".\n");
        return CellResult.ok();
    }
}
