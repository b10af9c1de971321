package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.SqlExecution;

/**
 * File scans that read many small files (DataFlint: an average under 3 MB; 128 MB is ideal). Each file costs an
 * open, a footer read and listing time, so thousands of small files are slower than a few large ones.
 * Severity by the number of small files: 50/100/1,000/10,000.
 */
public final class SmallFilesReadHeuristic extends QueryPlanHeuristic {
    static final double SMALL_AVERAGE = 3 * Sizes.MIB;
    static final String FILES = "number of files read";
    static final String BYTES = "size of files read";

    public SmallFilesReadHeuristic() {
        super("small-files-read", "Small files read");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        Finding.Builder f = Finding.of(this);
        boolean scans = false;
        boolean measured = false;
        long totalFiles = 0;
        for (SqlExecution e : requireSql(m)) {
            for (SqlExecution.Node n : e.plan()) {
                if (!n.named("Scan")) {
                    continue;
                }
                scans = true;
                double files = n.value(FILES);
                double bytes = n.value(BYTES);
                if (files < 0 || bytes < 0) {
                    continue;
                }
                measured = true;
                totalFiles += (long) files;
                double average = bytes / Math.max(files, 1);
                Severity sev = Severity.of(files, 50, 100, 1_000, 10_000, true);
                if (average < SMALL_AVERAGE && sev != Severity.NONE) {
                    f.severity(sev).detail(where(m, f, e) + ": \"" + n.nodeName() + "\" read " + (long) files
                            + " files of " + Sizes.bytes(average) + " on average (" + Sizes.bytes(bytes) + ")");
                }
            }
        }
        requireMetric(scans, measured, "File scans", FILES);
        f.figure("files read", String.valueOf(totalFiles));
        if (f.severity() == Severity.NONE) {
            return f.summary(scans ? "File scans read files of a reasonable size." : "No query scanned files.")
                    .build();
        }
        return f.summary("Queries read many small files (under " + Sizes.bytes(SMALL_AVERAGE) + " on average;"
                        + " about 128 MiB each is ideal): opening and listing them costs more than reading them.")
                .adviseCode("compact the input: rewrite it once with fewer, larger files (df.repartition(n).write"
                        + " with n = total size / 128 MiB), or have its producer write fewer files")
                .advise("spark.sql.files.openCostInBytes", String.valueOf(8 * Sizes.MIB), "packs more small files"
                        + " into each task (default 4 MiB), so fewer tasks are scheduled for them")
                .build();
    }
}
