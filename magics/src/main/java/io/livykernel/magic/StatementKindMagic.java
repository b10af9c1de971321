package io.livykernel.magic;

import io.livykernel.execution.CellOutput;
import io.livykernel.execution.CellResult;
import io.livykernel.execution.UserFacingException;
import io.livykernel.extension.KernelContext;
import org.apache.commons.cli.Options;

/** {@code %%scala} and {@code %%sparkr}: the cell runs as another of Livy's statement kinds in the same session. */
final class StatementKindMagic implements MagicCommand {
    private final String name;
    private final String kind;
    private final String language;
    private final String example;

    private StatementKindMagic(String name, String kind, String language, String example) {
        this.name = name;
        this.kind = kind;
        this.language = language;
        this.example = example;
    }

    static StatementKindMagic scala() {
        return new StatementKindMagic("scala", "spark", "Scala", "%%scala\nval n = spark.range(10).count()");
    }

    static StatementKindMagic sparkR() {
        return new StatementKindMagic("sparkr", "sparkr", "R (SparkR)", "%%sparkr\nhead(as.DataFrame(faithful))");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Form form() {
        return Form.CELL;
    }

    @Override
    public String summary() {
        return "Run the cell as " + language + " in this notebook's Spark session (same application, shared tables).";
    }

    @Override
    public String example() {
        return example;
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
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        return Remote.require(context, "%%" + name).run(call.body(), kind, out);
    }
}
