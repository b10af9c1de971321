package io.livykernel.sparkjobs;

import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Report;
import io.livykernel.analyze.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A modest aggregation with enough partitions, Kryo and AQE: the analyser must stay quiet. */
class WellBehavedScenarioTest {

    @Test
    void nothingAboveLow() throws Exception {
        Report report = SparkScenario.named("well-behaved", "local[2]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .conf("spark.sql.shuffle.partitions", "4")
                .run(spark -> spark.range(0, 400_000, 1, 4).selectExpr("id % 100 AS k", "id")
                        .groupBy("k").count().collectAsList());
        List<String> flagged = report.findings().stream().filter(f -> f.severity().atLeast(Severity.MODERATE))
                .map(Finding::heuristic).toList();
        assertEquals(List.of(), flagged, "a well-behaved job gets no advice above LOW");
        assertEquals(List.of(), report.notComputed(), "every heuristic has the metrics it needs");
    }
}
