package io.livykernel.magic;

import io.livykernel.execution.CellOutput;
import io.livykernel.execution.CellResult;
import io.livykernel.execution.UserFacingException;
import io.livykernel.extension.KernelContext;
import java.util.List;
import org.apache.commons.cli.Options;

/** {@code %%logs}: this notebook's session log (spark-submit, YARN and driver lines Livy keeps). */
final class LogsMagic implements MagicCommand {
    @Override
    public String name() {
        return "logs";
    }

    @Override
    public Form form() {
        return Form.LINE_OR_CELL;
    }

    @Override
    public String summary() {
        return "Show this notebook's session log as Livy keeps it (useful when a session failed or died).";
    }

    @Override
    public String example() {
        return "%%logs";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public Body body() {
        return Body.NONE;
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        List<String> log = Remote.require(context, "%%logs").log();
        out.print(log.isEmpty() ? "No logs yet: this notebook has no session.\n" : String.join("\n", log) + "\n");
        return CellResult.ok();
    }
}
