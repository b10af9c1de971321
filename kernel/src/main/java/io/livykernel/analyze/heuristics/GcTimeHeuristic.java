package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.ExecutorSummary;
import io.livykernel.analyze.rest.StageData;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Share of task time spent in garbage collection (Dr. Elephant's ExecutorGc: 0.08/0.1/0.15/0.2). */
public final class GcTimeHeuristic extends NamedHeuristic {
    static final double[] LIMITS = {0.08, 0.1, 0.15, 0.2};
    /** Below this much task time a GC share says little (a JIT warm-up, one young collection). */
    static final long MIN_TASK_TIME_MS = 10_000;

    static double gcShare(List<ExecutorSummary> workers) {
        long duration = workers.stream().mapToLong(ExecutorSummary::totalDuration).sum();
        long gc = workers.stream().mapToLong(ExecutorSummary::totalGCTime).sum();
        return duration <= 0 ? 0 : gc / (double) duration;
    }

    public GcTimeHeuristic() {
        super("gc-time", "Time in garbage collection");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        List<ExecutorSummary> workers = requireTaskExecutors(m);
        long duration = workers.stream().mapToLong(ExecutorSummary::totalDuration).sum();
        long gc = workers.stream().mapToLong(ExecutorSummary::totalGCTime).sum();
        double share = duration <= 0 ? 0 : gc / (double) duration;
        Finding.Builder f = Finding.of(this).figure("task time", Sizes.millis(duration))
                .figure("GC time", Sizes.millis(gc)).figure("GC share", Sizes.ratio(share));
        if (duration < MIN_TASK_TIME_MS) {
            return f.summary("Too little task time (" + Sizes.millis(duration) + ") to judge GC.").build();
        }
        Severity s = Severity.of(share, LIMITS[0], LIMITS[1], LIMITS[2], LIMITS[3], true);
        f.severity(s);
        if (s == Severity.NONE) {
            return f.summary("Tasks spent " + Sizes.percent(share) + " of their time in GC.").build();
        }
        Map<Integer, String> groups = m.jobGroupByStage();
        if (m.stages() != null) {
            m.stages().stream().filter(st -> st.executorRunTime() >= 1_000 && st.jvmGcTime() > 0.1 * st.executorRunTime())
                    .sorted(Comparator.comparingLong(StageData::jvmGcTime).reversed()).limit(5)
                    .forEach(st -> {
                        f.stage(st.stageId(), groups.get(st.stageId()));
                        f.detail("stage " + st.stageId() + MemorySettings.cell(groups.get(st.stageId())) + ": "
                                + Sizes.millis(st.jvmGcTime()) + " GC in " + Sizes.millis(st.executorRunTime())
                                + " of task time");
                    });
        }
        String key = MemorySettings.executorMemoryKey(m);
        MemorySettings.adviseFewerCores(m, f, "fewer concurrent tasks per heap create less garbage at once");
        return f.summary("Tasks spent " + Sizes.percent(share) + " of their time in garbage collection (more than "
                        + Sizes.percent(LIMITS[0]) + " hurts).")
                .advise(key, Sizes.memorySetting(1.5 * MemorySettings.executorHeap(m)), "a larger heap collects less"
                        + " often")
                .adviseCode("cache DataFrames serialized (StorageLevel.MEMORY_AND_DISK_SER) and avoid Python UDFs"
                        + " that build many objects")
                .build();
    }
}
