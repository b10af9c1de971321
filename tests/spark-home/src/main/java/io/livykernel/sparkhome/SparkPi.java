package io.livykernel.sparkhome;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's SparkPi example (spark-examples is not on Maven Central), for the spark-submit route's tests:
 * {@code SparkPi [SLICES] [--fail] [--sleep-ms N]}. With {@code --fail} every task throws, so Spark itself
 * fails the job and the application ends with a non-zero exit code and the reason in its log; with
 * {@code --sleep-ms} each task first sleeps, so a test can interrupt or time out a running job.
 */
public final class SparkPi {
    private SparkPi() {
    }

    public static void main(String[] args) {
        int slices = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 2;
        boolean fail = List.of(args).contains("--fail");
        int sleepAt = List.of(args).indexOf("--sleep-ms");
        long sleepMs = sleepAt >= 0 ? Long.parseLong(args[sleepAt + 1]) : 0;
        SparkSession spark = SparkSession.builder().appName("JavaSparkPi").getOrCreate();
        try {
            JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
            int n = 100_000 * slices;
            List<Integer> points = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                points.add(i);
            }
            JavaRDD<Integer> dataSet = jsc.parallelize(points, slices);
            int count = dataSet.map(i -> {
                if (sleepMs > 0 && i % 100_000 == 0) {
                    Thread.sleep(sleepMs);
                }
                if (fail) {
                    throw new IllegalStateException("SparkPi was asked to fail (--fail)");
                }
                double x = Math.random() * 2 - 1;
                double y = Math.random() * 2 - 1;
                return (x * x + y * y <= 1) ? 1 : 0;
            }).reduce(Integer::sum);
            System.out.println("Pi is roughly " + 4.0 * count / n);
        } finally {
            spark.stop();
        }
    }
}
