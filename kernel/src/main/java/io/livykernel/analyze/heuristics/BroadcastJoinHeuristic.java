package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;
import io.livykernel.analyze.rest.SqlExecution;
import java.util.List;

/**
 * Join strategies against the sizes their inputs turned out to have: a sort-merge join whose smaller side was
 * small enough to broadcast (under 10 MiB, or under 100 MiB against a side over 10 GiB: DataFlint's rule), which
 * shuffled and sorted both sides for nothing; and a broadcast over 1 GiB, which the driver collects and sends to
 * every executor (Spark refuses 8 GiB).
 */
public final class BroadcastJoinHeuristic extends QueryPlanHeuristic {
    static final long SMALL_SIDE = 10 * Sizes.MIB;
    static final long SMALL_SIDE_AGAINST_HUGE = 100 * Sizes.MIB;
    static final long HUGE_SIDE = 10 * Sizes.GIB;
    static final long LARGE_BROADCAST = Sizes.GIB;
    static final String SHUFFLE_SIZE = "data size";

    public BroadcastJoinHeuristic() {
        super("broadcast-join", "Join strategy against input sizes");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        Finding.Builder f = Finding.of(this);
        String threshold = m.property("spark.sql.autoBroadcastJoinThreshold", "10485760");
        f.figure("spark.sql.autoBroadcastJoinThreshold", threshold);
        boolean joins = false;
        boolean measured = false;
        long broadcastable = 0;
        long largest = 0;
        for (SqlExecution e : requireSql(m)) {
            for (SqlExecution.Node n : e.plan()) {
                if (n.named("SortMergeJoin")) {
                    joins = true;
                    List<Double> sides = e.children(n).stream().map(c -> e.nearestWith(c, SHUFFLE_SIZE))
                            .map(c -> c == null ? -1 : c.value(SHUFFLE_SIZE)).toList();
                    if (sides.size() != 2 || sides.contains(-1.0)) {
                        continue;
                    }
                    measured = true;
                    double small = Math.min(sides.get(0), sides.get(1));
                    double big = Math.max(sides.get(0), sides.get(1));
                    if (small <= SMALL_SIDE || (small <= SMALL_SIDE_AGAINST_HUGE && big >= HUGE_SIDE)) {
                        broadcastable = Math.max(broadcastable, (long) small);
                        f.severity(big >= HUGE_SIDE ? Severity.SEVERE : Severity.MODERATE)
                                .detail(where(m, f, e) + ": sort-merge join of " + Sizes.bytes(big) + " with "
                                        + Sizes.bytes(small) + ", which would broadcast");
                    }
                }
                if (n.named("BroadcastExchange") && n.value(SHUFFLE_SIZE) >= 0) {
                    double size = n.value(SHUFFLE_SIZE);
                    largest = Math.max(largest, (long) size);
                    if (size > LARGE_BROADCAST) {
                        f.severity(Severity.of(size, LARGE_BROADCAST, LARGE_BROADCAST, 2.0 * LARGE_BROADCAST,
                                4.0 * LARGE_BROADCAST, true)).detail(where(m, f, e) + ": broadcast "
                                + Sizes.bytes(size) + " to every executor");
                    }
                }
            }
        }
        requireMetric(joins, measured, "Sort-merge joins", SHUFFLE_SIZE);
        if (largest > 0) {
            f.figure("largest broadcast", Sizes.bytes(largest));
        }
        if (f.severity() == Severity.NONE) {
            return f.summary("Join strategies suit their input sizes.").build();
        }
        if (largest > LARGE_BROADCAST) {
            f.adviseCode("let a broadcast over 1 GiB sort-merge instead: drop the broadcast() hint, or filter and"
                    + " select only the needed columns of the small side before the join");
        }
        if (broadcastable > 0) {
            // Twice the side seen, at least Spark's default, so the same query broadcasts next time.
            long target = Math.max(SMALL_SIDE, Math.min(SMALL_SIDE_AGAINST_HUGE, 2 * broadcastable));
            f.advise("spark.sql.autoBroadcastJoinThreshold", String.valueOf(target), "the small side ("
                            + Sizes.bytes(broadcastable) + ") then broadcasts instead of shuffling and sorting both"
                            + " sides")
                    .adviseCode("or mark the small side: big.join(broadcast(small), ...)");
        }
        return f.summary(largest > LARGE_BROADCAST ? "A broadcast was larger than 1 GiB: collecting and sending it"
                        + " strains the driver and every executor."
                        : "Sort-merge joins shuffled and sorted both sides although one side was small enough to"
                        + " broadcast.").build();
    }
}
