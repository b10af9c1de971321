package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.extension.KernelContext;
import org.apache.commons.cli.Options;

/** {@code %%local}: the cell body runs on the embedded local Python, next to the remote session. */
final class LocalMagic extends BaseMagic {
    LocalMagic() {
        super("local", Form.CELL, Body.REQUIRED,
                "Run the cell body on the local Python (the notebook side), not on the Spark driver.",
                "%%local\nimport pandas as pd\npd.DataFrame({'x': [1, 2, 3]}).describe()",
                new Options());
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context) throws InterruptedException {
        return context.localBackend().execute(call.cell().withCode(call.body()), out);
    }
}
