package io.livykernel.sparkjobs;

import java.security.MessageDigest;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** Jobs more than one scenario runs. */
final class Jobs {
    private Jobs() {
    }

    /**
     * CPU-bound work (hashing) in {@code partitions} tasks, each for a fixed time, so a stage is as long on a
     * fast machine as on a slow one.
     */
    static List<Byte> busyFor(SparkSession spark, int partitions, long millisPerTask) {
        List<Integer> seeds = IntStream.range(0, partitions).boxed().toList();
        long nanos = millisPerTask * 1_000_000L;
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(seeds, partitions)
                .map(seed -> {
                    MessageDigest sha = MessageDigest.getInstance("SHA-512");
                    byte[] digest = new byte[] {seed.byteValue()};
                    long deadline = System.nanoTime() + nanos;
                    while (System.nanoTime() < deadline) {
                        digest = sha.digest(digest);
                    }
                    return digest[0];
                }).collect();
    }

    /** The driver waiting, as a notebook does while its user reads a result. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pausing", e);
        }
    }
}
