package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import org.apache.commons.cli.Options;

/** {@code %%scala} and {@code %%sparkr}: the cell runs as another of Livy's statement kinds in the same session. */
final class StatementKindMagic extends BaseMagic {
    private final String kind;

    private StatementKindMagic(String name, String kind, String language, String example) {
        super(name, Form.CELL, Body.REQUIRED,
                "Run the cell as " + language + " in this notebook's Spark session (same application, shared tables).",
                example, new Options());
        this.kind = kind;
    }

    static StatementKindMagic scala() {
        return new StatementKindMagic("scala", "spark", "Scala", "%%scala\nval n = spark.range(10).count()");
    }

    static StatementKindMagic sparkR() {
        return new StatementKindMagic("sparkr", "sparkr", "R (SparkR)", "%%sparkr\nhead(as.DataFrame(faithful))");
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        return Remote.require(context, "%%" + name()).run(call.body(), kind, out);
    }
}
