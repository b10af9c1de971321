package io.livykernel.extension;

import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.Completeness;
import io.livykernel.api.Completion;
import io.livykernel.api.Inspection;

/**
 * The kernel's extension point for magics, found with {@link java.util.ServiceLoader}. The kernel asks it
 * first about every cell; cells it does not claim go to the primary backend unchanged.
 */
public interface MagicSupport {

    /** True when this cell is a kernel magic (or a magic-like mistake this support should answer). */
    boolean claims(String code, KernelContext context);

    CellResult execute(Cell cell, CellOutput out, KernelContext context) throws InterruptedException;

    /** Completion of magic names and flags; null when the cursor is not in a magic. */
    Completion complete(String code, int cursorPos, KernelContext context);

    /** A magic's help; null when the cursor is not on a magic. */
    Inspection inspect(String code, int cursorPos, KernelContext context);

    /** Completeness of a magic cell; null when the code is not a magic cell. */
    Completeness isComplete(String code);
}
