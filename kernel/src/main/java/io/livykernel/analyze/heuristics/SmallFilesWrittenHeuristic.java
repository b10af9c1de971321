package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.SqlExecution;

/** Writes that produced many small files: whoever reads them next pays for each file. */
public final class SmallFilesWrittenHeuristic extends SmallFilesHeuristic {

    public SmallFilesWrittenHeuristic() {
        super("small-files-written", "Small files written", "number of written files", "written output");
    }

    @Override
    boolean judges(SqlExecution.Node node) {
        return node.named("Execute InsertInto") || node.named("Execute CreateDataSourceTable")
                || node.named("WriteFiles") || node.has("number of written files");
    }

    @Override
    String operators() {
        return "File writes";
    }

    @Override
    String did(SqlExecution.Node node) {
        return "wrote";
    }

    @Override
    Finding advise(Finding.Builder f) {
        return f.summary("Queries wrote many small files (under " + Sizes.bytes(SMALL_AVERAGE) + " on average;"
                        + " about 128 MiB each is ideal): every later read pays for each file.")
                .adviseCode("coalesce(n) or repartition(n) before write, with n = output size / 128 MiB; with"
                        + " partitionBy(col), repartition(col) first so each partition value gets one file")
                .advise("spark.sql.adaptive.enabled", "true", "AQE merges small shuffle partitions before a write")
                .advise("spark.sql.adaptive.advisoryPartitionSizeInBytes", "128m", "the size AQE aims at for each"
                        + " partition, and so for each file written after a shuffle")
                .build();
    }
}
