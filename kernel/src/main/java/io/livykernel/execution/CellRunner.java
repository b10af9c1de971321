package io.livykernel.execution;

import io.livykernel.extension.KernelContext;
import io.livykernel.extension.MagicSupport;

/** Runs one cell: a kernel magic when the magics claim it, otherwise the primary backend. */
final class CellRunner {
    private final KernelContext context;
    private final MagicSupport magics;

    CellRunner(KernelContext context, MagicSupport magics) {
        this.context = context;
        this.magics = magics;
    }

    CellResult run(Cell cell, CellOutput out) {
        if (cell.code().isBlank()) {
            return CellResult.ok();
        }
        try {
            if (magics != null && magics.claims(cell.code(), context)) {
                return magics.execute(cell, out, context);
            }
            return context.primaryBackend().execute(cell, out);
        } catch (InterruptedException e) {
            return CellResult.interrupted("the cell was interrupted");
        } catch (RuntimeException e) {
            return ErrorReporter.toCellError(e);
        }
    }

    /** Asks whatever is running to stop; backends ignore it when they run nothing. */
    void interrupt() {
        context.primaryBackend().interrupt();
        if (context.localBackend() != context.primaryBackend()) {
            context.localBackend().interrupt();
        }
    }
}
