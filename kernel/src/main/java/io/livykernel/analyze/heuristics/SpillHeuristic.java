package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.StageData;
import java.util.Map;

/**
 * Shuffle and sort data spilled from memory to disk, against the data the stage processed (Dr. Elephant's
 * ConfigurationParameters: 0.01/0.1/0.25/0.5). Spilling writes and re-reads the data, often several times.
 */
public final class SpillHeuristic extends NamedHeuristic {
    /** Spills below this are noise (a last small sort buffer). */
    static final long MIN_SPILL = 16 * Sizes.MIB;

    public SpillHeuristic() {
        super("spill", "Shuffle and memory spill");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        requireStages(m);
        Finding.Builder f = Finding.of(this);
        Map<Integer, String> groups = m.jobGroupByStage();
        long memory = 0;
        long disk = 0;
        long shuffled = 0;
        double worst = 0;
        long worstProcessed = 0;
        for (StageData s : m.stages()) {
            memory += s.memoryBytesSpilled();
            disk += s.diskBytesSpilled();
            shuffled += s.shuffleWriteBytes();
            if (s.memoryBytesSpilled() < MIN_SPILL) {
                continue;
            }
            long processed = Math.max(s.bytesProcessed(), Math.max(s.shuffleWriteBytes(), s.outputBytes()));
            double ratio = s.memoryBytesSpilled() / (double) Math.max(processed, 1);
            f.severity(Severity.of(ratio, 0.01, 0.1, 0.25, 0.5, true)).stage(s.stageId(), groups.get(s.stageId()));
            f.detail("stage " + s.stageId() + MemorySettings.cell(groups.get(s.stageId())) + ": spilled "
                    + Sizes.bytes(s.memoryBytesSpilled()) + " from memory (" + Sizes.bytes(s.diskBytesSpilled())
                    + " on disk) while processing " + Sizes.bytes(processed));
            if (ratio > worst) {
                worst = ratio;
                worstProcessed = processed;
            }
        }
        f.figure("memory spilled", Sizes.bytes(memory)).figure("disk spilled", Sizes.bytes(disk))
                .figure("shuffle written", Sizes.bytes(shuffled));
        if (f.severity() == Severity.NONE) {
            return f.summary(memory == 0 ? "No stage spilled." : "Spills were small (" + Sizes.bytes(memory)
                    + ").").build();
        }
        f.figure("worst spill / data processed", Sizes.ratio(worst));
        int partitions = Integer.parseInt(m.property("spark.sql.shuffle.partitions", "200").trim());
        // Aim at partitions of about 128 MiB of shuffled data each, at least twice the current count.
        long target = Math.max(2L * partitions, worstProcessed / (128 * Sizes.MIB));
        String key = MemorySettings.executorMemoryKey(m);
        return f.summary("Stages spilled " + Sizes.bytes(memory) + " from memory to disk (" + Sizes.ratio(worst)
                        + "x the data they processed): their tasks had too little execution memory.")
                .advise("spark.sql.shuffle.partitions", String.valueOf(target), "smaller partitions fit in each"
                        + " task's share of execution memory")
                .advise(key, Sizes.memorySetting(1.5 * MemorySettings.executorHeap(m)), "more memory per task"
                        + " (or fewer spark.executor.cores for the same memory)")
                .advise("spark.memory.fraction", MemorySettings.memoryFraction(m) < 0.6 ? "0.6" : "0.7",
                        "if little is cached, give execution a larger share of the heap (default 0.6)")
                .build();
    }
}
