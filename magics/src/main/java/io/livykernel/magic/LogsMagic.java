package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import java.util.List;
import org.apache.commons.cli.Options;

/** {@code %%logs}: this notebook's session log (spark-submit, YARN and driver lines Livy keeps). */
final class LogsMagic extends BaseMagic {
    LogsMagic() {
        super("logs", Form.LINE_OR_CELL, Body.NONE,
                "Show this notebook's session log as Livy keeps it (useful when a session failed or died).",
                "%%logs",
                new Options());
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        List<String> log = Remote.require(context, "%%logs").log();
        out.print(log.isEmpty() ? "No logs yet: this notebook has no session.\n" : String.join("\n", log) + "\n");
        return CellResult.ok();
    }
}
