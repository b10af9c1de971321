package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.rest.SqlExecution;

/**
 * A cartesian product or broadcast nested loop join compares every row of one side with every row of the other:
 * their product grows quadratically (DataFlint alerts above 10 billion). Severity by rows compared:
 * 10 million / 100 million / 1 billion / 10 billion.
 */
public final class CartesianJoinHeuristic extends QueryPlanHeuristic {
    static final String ROWS = "number of output rows";

    public CartesianJoinHeuristic() {
        super("cartesian-join", "Cartesian products and nested loop joins");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        Finding.Builder f = Finding.of(this);
        double most = 0;
        for (SqlExecution e : requireSql(m)) {
            for (SqlExecution.Node n : e.plan()) {
                if (!n.named("CartesianProduct") && !n.named("BroadcastNestedLoopJoin")) {
                    continue;
                }
                double compared = 1;
                for (SqlExecution.Node child : e.children(n)) {
                    SqlExecution.Node counted = e.nearestWith(child, ROWS);
                    compared *= counted == null ? -1 : Math.max(0, counted.value(ROWS));
                }
                if (compared < 0) {
                    compared = n.value(ROWS); // the output is the least it compared
                }
                most = Math.max(most, compared);
                Severity sev = Severity.of(compared, 1e7, 1e8, 1e9, 1e10, true);
                if (sev != Severity.NONE) {
                    f.severity(sev).detail(where(m, f, e) + ": " + n.nodeName() + " compared "
                            + String.format(java.util.Locale.ROOT, "%,.0f", compared) + " row pairs and produced "
                            + String.format(java.util.Locale.ROOT, "%,.0f", Math.max(0, n.value(ROWS))) + " rows");
                }
            }
        }
        if (most > 0) {
            f.figure("most row pairs compared", String.format(java.util.Locale.ROOT, "%,.0f", most));
        }
        if (f.severity() == Severity.NONE) {
            return f.summary("No large cartesian product or nested loop join.").build();
        }
        return f.summary("A join compared every row of one side with every row of the other ("
                        + String.format(java.util.Locale.ROOT, "%,.0f", most) + " pairs).")
                .adviseCode("give the join an equality condition (a.key == b.key) so Spark can hash or sort-merge"
                        + " it; for range conditions, join on a bucket column (floor(value / width)) first and filter"
                        + " after")
                .build();
    }
}
