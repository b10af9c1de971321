package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.SqlExecution;
import java.util.Locale;

/**
 * Plan operators that read or wrote many small files (DataFlint: an average under 3 MB; 128 MB is ideal), from
 * each operator's file count and byte metrics. Severity by the number of small files: 50/100/1,000/10,000.
 */
abstract class SmallFilesHeuristic extends QueryPlanHeuristic {
    static final double SMALL_AVERAGE = 3 * Sizes.MIB;
    private final String filesMetric;
    private final String bytesMetric;

    SmallFilesHeuristic(String id, String title, String filesMetric, String bytesMetric) {
        super(id, title);
        this.filesMetric = filesMetric;
        this.bytesMetric = bytesMetric;
    }

    /** Whether the node is one of the operators this heuristic judges (for "the metric is missing"). */
    abstract boolean judges(SqlExecution.Node node);

    /** "File scans" or "File writes", for the reason a Spark version is skipped. */
    abstract String operators();

    /** What the node did, for a detail line: "\"Scan parquet\" read" or "wrote". */
    abstract String did(SqlExecution.Node node);

    /** The summary and advice once some operator was flagged. */
    abstract Finding advise(Finding.Builder f);

    @Override
    public final Finding evaluate(AppMetrics m) throws NotComputable {
        Finding.Builder f = Finding.of(this);
        boolean ran = false;
        boolean measured = false;
        long totalFiles = 0;
        for (SqlExecution e : requireSql(m)) {
            for (SqlExecution.Node n : e.plan()) {
                ran |= judges(n);
                double files = n.value(filesMetric);
                double bytes = n.value(bytesMetric);
                if (!judges(n) || files < 0 || bytes < 0) {
                    continue;
                }
                measured = true;
                totalFiles += (long) files;
                double average = bytes / Math.max(files, 1);
                Severity sev = Severity.of(files, 50, 100, 1_000, 10_000, true);
                if (average < SMALL_AVERAGE && sev != Severity.NONE) {
                    f.severity(sev).detail(where(m, f, e) + ": " + did(n) + " " + (long) files + " files of "
                            + Sizes.bytes(average) + " on average (" + Sizes.bytes(bytes) + ")");
                }
            }
        }
        requireMetric(ran, measured, operators(), filesMetric);
        f.figure("files", String.valueOf(totalFiles));
        if (f.severity() == Severity.NONE) {
            return f.summary(ran ? "Files were of a reasonable size." : "No " + operators().toLowerCase(Locale.ROOT)
                    + ".").build();
        }
        return advise(f);
    }
}
