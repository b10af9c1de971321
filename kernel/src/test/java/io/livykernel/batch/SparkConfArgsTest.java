package io.livykernel.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SparkConfArgsTest {
    @Test
    void keyValuePairsLaterWins() throws BatchSubmissionException {
        assertEquals(Map.of("spark.a", "1", "spark.b", "x=y", "spark.c", ""),
                SparkConfArgs.parse(List.of("spark.a=0", "spark.b=x=y", "spark.a=1", "spark.c=")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"novalue", "=1", "spark a=1", " =2"})
    void malformedIsAUsageError(String bad) {
        BatchSubmissionException e = assertThrows(BatchSubmissionException.class, () -> SparkConfArgs.parse(List.of(bad)));
        assertTrue(e.getMessage().startsWith("--conf expects KEY=VALUE") && e.getMessage().contains(bad));
    }
}
