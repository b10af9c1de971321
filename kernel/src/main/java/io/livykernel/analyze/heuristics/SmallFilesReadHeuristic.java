package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.SqlExecution;

/**
 * File scans that read many small files: each file costs an open, a footer read and listing time, so thousands
 * of small files are slower than a few large ones.
 */
public final class SmallFilesReadHeuristic extends SmallFilesHeuristic {

    public SmallFilesReadHeuristic() {
        super("small-files-read", "Small files read", "number of files read", "size of files read");
    }

    @Override
    boolean judges(SqlExecution.Node node) {
        return node.named("Scan");
    }

    @Override
    String operators() {
        return "File scans";
    }

    @Override
    String did(SqlExecution.Node node) {
        return "\"" + node.nodeName() + "\" read";
    }

    @Override
    Finding advise(Finding.Builder f) {
        return f.summary("Queries read many small files (under " + Sizes.bytes(SMALL_AVERAGE) + " on average;"
                        + " about 128 MiB each is ideal): opening and listing them costs more than reading them.")
                .adviseCode("compact the input: rewrite it once with fewer, larger files (df.repartition(n).write"
                        + " with n = total size / 128 MiB), or have its producer write fewer files")
                .advise("spark.sql.files.openCostInBytes", String.valueOf(8 * Sizes.MIB), "packs more small files"
                        + " into each task (default 4 MiB), so fewer tasks are scheduled for them")
                .build();
    }
}
