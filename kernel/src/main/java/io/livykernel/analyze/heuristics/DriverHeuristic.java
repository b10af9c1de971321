package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.StageData;
import java.util.Map;

/**
 * The driver: results collected to it (a stage's task results against the driver heap, 0.05/0.1/0.25/0.5, and
 * against spark.driver.maxResultSize) and, on a cluster, a driver heap far above its peak (Dr. Elephant's
 * Driver heuristic, 1.25/1.5/2/3, ignored up to 2 GiB).
 */
public final class DriverHeuristic extends NamedHeuristic {
    /** Results below this are ordinary (counts, small aggregates). */
    static final long MIN_RESULT = 16 * Sizes.MIB;

    public DriverHeuristic() {
        super("driver", "Driver memory and results collected to the driver");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        requireStages(m);
        long heap = MemorySettings.driverHeap(m);
        long maxResult = Sizes.parseMemory(m.property("spark.driver.maxResultSize", "1g"));
        Finding.Builder f = Finding.of(this).figure("driver heap", Sizes.bytes(heap))
                .figure("spark.driver.maxResultSize", maxResult <= 0 ? "unlimited" : Sizes.bytes(maxResult));
        Map<Integer, String> groups = m.jobGroupByStage();
        long largest = 0;
        for (StageData s : m.stages()) {
            if (s.resultSize() < MIN_RESULT) {
                continue;
            }
            largest = Math.max(largest, s.resultSize());
            Severity sev = Severity.of(s.resultSize() / (double) heap, 0.05, 0.1, 0.25, 0.5, true);
            if (maxResult > 0 && s.resultSize() >= 0.5 * maxResult) {
                sev = Severity.max(sev, Severity.SEVERE);
            }
            f.severity(sev).stage(s.stageId(), groups.get(s.stageId())).detail("stage " + s.stageId()
                    + MemorySettings.cell(groups.get(s.stageId())) + " sent " + Sizes.bytes(s.resultSize())
                    + " of task results to the driver");
        }
        f.figure("largest result of one stage", Sizes.bytes(largest));
        boolean collected = f.severity().atLeast(Severity.LOW);
        if (collected) {
            f.summary("A stage sent " + Sizes.bytes(largest) + " of results to the driver (" + Sizes.percent(largest
                            / (double) heap) + " of its heap): collect() and toPandas() bring whole datasets into"
                            + " one JVM.")
                    .adviseCode("keep the data distributed: write it out (df.write.parquet(...)), or bring back only"
                            + " what you look at (df.limit(1000).toPandas(), take(n), aggregate first)")
                    .advise("spark.driver.memory", Sizes.memorySetting(Math.max(heap * 1.5, largest * 4.0)),
                            "if the data must come to the driver: room for the serialized and the decoded copy")
                    .advise("spark.driver.maxResultSize", Sizes.memorySetting(largest * 2.0), "keep a limit, so a"
                            + " runaway collect fails fast instead of killing the driver");
        }
        ExecutorSummary driver = m.driver();
        if (!m.localMode() && driver != null && driver.peak("JVMHeapMemory") > 0 && heap > 2 * Sizes.GIB) {
            long peak = driver.peak("JVMHeapMemory");
            double ratio = heap / (double) (peak + Sizes.RESERVED);
            f.figure("driver peak heap", Sizes.bytes(peak));
            Severity over = Severity.of(ratio, 1.25, 1.5, 2, 3, true);
            if (over != Severity.NONE && !collected) {
                f.severity(over).summary("The driver asked for " + Sizes.bytes(heap) + " and used at most "
                        + Sizes.bytes(peak) + ".").advise("spark.driver.memory",
                        Sizes.memorySetting(1.5 * (peak + Sizes.RESERVED)), "1.5 x (peak + 300 MiB) leaves room for"
                                + " the occasional collect");
            }
        }
        if (f.severity() == Severity.NONE) {
            f.summary("Results sent to the driver were small" + (largest > 0 ? " (largest " + Sizes.bytes(largest)
                    + ")" : "") + ".");
        }
        return f.build();
    }
}
