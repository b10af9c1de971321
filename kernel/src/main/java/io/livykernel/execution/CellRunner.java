package io.livykernel.execution;

import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.ErrorReporter;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.MagicSupport;
import java.util.function.Predicate;

/** Runs one cell: a kernel magic when the magics claim it, otherwise the primary backend. */
final class CellRunner {
    private final KernelContext context;
    private final MagicSupport magics;
    private final Predicate<Throwable> survivable;

    /** {@code survivable} judges a caught Throwable: false when the kernel must exit after it. */
    CellRunner(KernelContext context, MagicSupport magics, Predicate<Throwable> survivable) {
        this.context = context;
        this.magics = magics;
        this.survivable = survivable;
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
        } catch (Throwable e) { // Errors too (StackOverflowError, OutOfMemoryError...): the lane must keep serving
            return survivable.test(e) ? ErrorReporter.toCellError(e) : ErrorReporter.exiting(e);
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
