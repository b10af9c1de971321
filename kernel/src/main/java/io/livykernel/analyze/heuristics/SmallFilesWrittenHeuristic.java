package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.SqlExecution;

/**
 * Writes that produced many small files (DataFlint: an average under 3 MB; 128 MB is ideal): whoever reads them
 * next pays for each file. Severity by the number of small files: 50/100/1,000/10,000.
 */
public final class SmallFilesWrittenHeuristic extends QueryPlanHeuristic {
    static final String FILES = "number of written files";
    static final String BYTES = "written output";

    public SmallFilesWrittenHeuristic() {
        super("small-files-written", "Small files written");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        Finding.Builder f = Finding.of(this);
        long totalFiles = 0;
        boolean measured = false;
        boolean writes = false;
        for (SqlExecution e : requireSql(m)) {
            for (SqlExecution.Node n : e.plan()) {
                writes |= n.named("Execute InsertInto") || n.named("Execute CreateDataSourceTable")
                        || n.named("WriteFiles");
                double files = n.value(FILES);
                double bytes = n.value(BYTES);
                if (files < 0 || bytes < 0) {
                    continue;
                }
                measured = true;
                totalFiles += (long) files;
                double average = bytes / Math.max(files, 1);
                Severity sev = Severity.of(files, 50, 100, 1_000, 10_000, true);
                if (average < SmallFilesReadHeuristic.SMALL_AVERAGE && sev != Severity.NONE) {
                    f.severity(sev).detail(where(m, f, e) + ": wrote " + (long) files + " files of "
                            + Sizes.bytes(average) + " on average (" + Sizes.bytes(bytes) + ")");
                }
            }
        }
        requireMetric(writes, measured, "File writes", FILES);
        f.figure("files written", String.valueOf(totalFiles));
        if (f.severity() == Severity.NONE) {
            return f.summary(measured ? "Writes produced files of a reasonable size." : "No query wrote files.")
                    .build();
        }
        return f.summary("Queries wrote many small files (under " + Sizes.bytes(SmallFilesReadHeuristic.SMALL_AVERAGE)
                        + " on average; about 128 MiB each is ideal): every later read pays for each file.")
                .adviseCode("coalesce(n) or repartition(n) before write, with n = output size / 128 MiB; with"
                        + " partitionBy(col), repartition(col) first so each partition value gets one file")
                .advise("spark.sql.adaptive.enabled", "true", "AQE merges small shuffle partitions before a write")
                .advise("spark.sql.adaptive.advisoryPartitionSizeInBytes", "128m", "the size AQE aims at for each"
                        + " partition, and so for each file written after a shuffle")
                .build();
    }
}
