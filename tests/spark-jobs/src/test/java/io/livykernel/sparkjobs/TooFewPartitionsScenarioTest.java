package io.livykernel.sparkjobs;

import io.livykernel.analyze.Report;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * CPU-heavy work (hashing, for a fixed 3 s so the stage is long on any machine) squeezed into one partition on
 * four cores: three cores idle for the whole stage.
 */
class TooFewPartitionsScenarioTest {

    @Test
    void flagsPartitionsAgainstCores() throws Exception {
        Report report = SparkScenario.named("too-few-partitions", "local[4]")
                .conf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .run(spark -> JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(Arrays.asList(1, 2, 3), 1)
                        .map(seed -> {
                            MessageDigest sha = MessageDigest.getInstance("SHA-512");
                            byte[] digest = new byte[] {seed.byteValue()};
                            long deadline = System.nanoTime() + 1_000_000_000L;
                            while (System.nanoTime() < deadline) {
                                digest = sha.digest(digest);
                            }
                            return digest[0];
                        }).collect());
        // The idle cores are the same problem seen from the executors' side.
        SparkScenario.assertFlags(report, "partitions", Set.of("idle-executors"));
    }
}
