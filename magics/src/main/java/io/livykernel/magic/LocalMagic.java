package io.livykernel.magic;

import io.livykernel.execution.CellOutput;
import io.livykernel.execution.CellResult;
import io.livykernel.extension.KernelContext;
import org.apache.commons.cli.Options;

/** {@code %%local}: the cell body runs on the embedded local Python, next to the remote session. */
final class LocalMagic implements MagicCommand {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public Form form() {
        return Form.CELL;
    }

    @Override
    public String summary() {
        return "Run the cell body on the local Python (the notebook side), not on the Spark driver.";
    }

    @Override
    public String example() {
        return "%%local\nimport pandas as pd\npd.DataFrame({'x': [1, 2, 3]}).describe()";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public Body body() {
        return Body.REQUIRED;
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context) throws InterruptedException {
        return context.localBackend().execute(call.cell().withCode(call.body()), out);
    }
}
