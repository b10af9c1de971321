package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.ExecutorSummary;
import java.util.List;

/**
 * Executor memory against its use: a heap much larger than the peak the JVMs reached (Dr. Elephant's
 * JvmUsedMemory: requested / (peak + 300 MiB) at 1.25/1.5/2/3, ignored up to 2 GiB) wastes the cluster's memory;
 * a heap filled to the brim while the JVMs spend time in GC is too small.
 */
public final class ExecutorMemoryHeuristic extends NamedHeuristic {
    static final long IGNORE_UP_TO = 2 * Sizes.GIB;
    /** Unified regions smaller than this are not judged (Dr. Elephant's 256 MiB). */
    static final long MIN_UNIFIED = 256 * Sizes.MIB;

    public ExecutorMemoryHeuristic() {
        super("executor-memory", "Executor memory over- and under-use");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        List<ExecutorSummary> workers = requireTaskExecutors(m);
        long peakHeap = workers.stream().mapToLong(e -> e.peak("JVMHeapMemory")).max().orElse(-1);
        if (peakHeap <= 0) {
            throw new NotComputable("the executors report no peakMemoryMetrics (Spark before 3.0, or no heartbeat"
                    + " since the application started)");
        }
        long peakUnified = workers.stream().mapToLong(e -> e.peak("OnHeapUnifiedMemory")).max().orElse(-1);
        long unified = workers.stream().mapToLong(ExecutorSummary::maxMemory).max().orElse(-1);
        long heap = MemorySettings.executorHeap(m);
        String key = MemorySettings.executorMemoryKey(m);
        Finding.Builder f = Finding.of(this)
                .figure(key, Sizes.bytes(heap))
                .figure("peak JVM heap used", Sizes.bytes(peakHeap))
                .figure("peak unified (execution + storage) memory", Sizes.bytes(peakUnified))
                .figure("unified memory available", Sizes.bytes(unified));

        double overAsk = heap / (double) (peakHeap + Sizes.RESERVED);
        f.figure("heap / (peak + 300 MiB reserved)", Sizes.ratio(overAsk));
        double fullness = peakHeap / (double) heap;
        f.figure("peak heap / heap", Sizes.ratio(fullness));
        double gcShare = GcTimeHeuristic.gcShare(workers);

        if (heap > IGNORE_UP_TO) {
            Severity under = Severity.of(overAsk, 1.25, 1.5, 2, 3, true);
            if (under.atLeast(Severity.LOW)) {
                String suggested = Sizes.memorySetting(1.25 * (peakHeap + Sizes.RESERVED));
                f.severity(under).summary("Asked for " + Sizes.bytes(heap) + " of heap per executor, but the JVMs"
                        + " used at most " + Sizes.bytes(peakHeap) + " (" + Sizes.ratio(overAsk) + "x too much).")
                        .advise(key, suggested, "1.25 x (observed peak + 300 MiB reserved) frees memory for other"
                                + " users of the cluster and starts executors sooner");
            } else if (unified >= MIN_UNIFIED && peakUnified >= 0) {
                // Dr. Elephant's UnifiedMemory: the heap is used, but not by Spark's execution and storage.
                double unifiedUse = peakUnified / (double) unified;
                f.figure("peak unified / available", Sizes.ratio(unifiedUse));
                Severity idle = Severity.of(unifiedUse, 0.7, 0.6, 0.4, 0.2, false);
                if (idle.atLeast(Severity.LOW)) {
                    f.severity(Severity.min(idle, Severity.MODERATE)).summary("Spark's execution and storage used "
                                    + Sizes.percent(unifiedUse) + " of the unified memory set aside for them.")
                            .advise("spark.memory.fraction", "0.4", "leave more of the heap to user code and Python"
                                    + " objects, or lower the heap if nothing else needs it (default 0.6)");
                }
            }
        }
        // A full heap alone is normal for a collecting JVM; with real GC time it means too little memory.
        Severity over = Severity.of(fullness, 0.75, 0.85, 0.92, 0.97, true);
        if (gcShare < GcTimeHeuristic.LIMITS[0] && over.atLeast(Severity.LOW)) {
            over = Severity.LOW;
        }
        if (over.atLeast(Severity.MODERATE)) {
            f.severity(over).summary("The executors filled " + Sizes.percent(fullness) + " of their "
                    + Sizes.bytes(heap) + " heap and spent " + Sizes.percent(gcShare) + " of task time in GC:"
                    + " the heap is too small for this work.")
                    .advise(key, Sizes.memorySetting(1.5 * heap), "more heap per task (about 1.5x now) ends the"
                            + " collections and out-of-memory risk");
            MemorySettings.adviseFewerCores(m, f, "fewer concurrent tasks share the same heap");
        } else if (over == Severity.LOW && f.severity() == Severity.NONE) {
            f.severity(Severity.LOW).summary("The heap was " + Sizes.percent(fullness) + " full at its peak, with"
                    + " little GC: enough, without much to spare.");
        }
        if (f.severity() == Severity.NONE) {
            f.summary("Executor heap fits the use (peak " + Sizes.bytes(peakHeap) + " of " + Sizes.bytes(heap)
                    + (heap <= IGNORE_UP_TO ? "; heaps up to 2 GiB are not judged as over-sized" : "") + ").");
        }
        return f.build();
    }
}
