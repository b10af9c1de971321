package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import org.apache.commons.cli.Options;

/** One magic: its name, its own flags (Commons CLI), its help, and what it does. */
public interface MagicCommand {

    /** Where the magic may be written. */
    enum Form {
        /** {@code %%name}: a cell magic (its body is the rest of the cell). */
        CELL,
        /** {@code %name} or {@code %%name}: a magic that works on one line. */
        LINE_OR_CELL
    }

    String name();

    Form form();

    /** One line: what the magic does. */
    String summary();

    /** A short, realistic example of a cell that uses it. */
    String example();

    /** Its flags; an empty Options when it has none. */
    Options options();

    /** Whether the magic needs code below its first line, and whether it accepts any. */
    Body body();

    enum Body {
        REQUIRED, NONE, OPTIONAL
    }

    CellResult run(MagicCall call, CellOutput out, KernelContext context) throws InterruptedException, UserFacingException;
}
