package io.livykernel.analyze.heuristics;

import io.livykernel.analyze.AppMetrics;
import io.livykernel.analyze.Finding;
import io.livykernel.analyze.Severity;
import io.livykernel.analyze.Sizes;

/**
 * Configuration best practices (Dr. Elephant's Configuration heuristic, adapted to Spark 3): Kryo, adaptive
 * execution, executor cores, very large heaps, dynamic allocation without a shuffle service, unlimited results.
 */
public final class ConfigurationHeuristic extends NamedHeuristic {

    public ConfigurationHeuristic() {
        super("configuration", "Configuration best practices");
    }

    @Override
    public Finding evaluate(AppMetrics m) throws NotComputable {
        if (m.properties() == null) {
            throw NotComputable.missing(m, "environment");
        }
        Finding.Builder f = Finding.of(this);
        String serializer = m.property("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
        f.figure("spark.serializer", serializer);
        if (!serializer.contains("KryoSerializer")) {
            // DataFrames use their own encoders; RDDs, broadcasts and serialized caches use this serializer.
            f.severity(Severity.LOW).detail("Java serialization is slower and larger than Kryo for RDDs and caches")
                    .advise("spark.serializer", "org.apache.spark.serializer.KryoSerializer", "faster, smaller"
                            + " shuffles and caches of RDD data");
        }
        String aqe = m.property("spark.sql.adaptive.enabled", "true");
        f.figure("spark.sql.adaptive.enabled", aqe);
        if ("false".equalsIgnoreCase(aqe.trim())) {
            f.severity(Severity.MODERATE).detail("adaptive query execution is off")
                    .advise("spark.sql.adaptive.enabled", "true", "AQE coalesces small partitions, splits skewed"
                            + " ones and switches to broadcast joins at run time");
        }
        int cores = MemorySettings.parseInt(m.property("spark.executor.cores", "1"), 1);
        f.figure("spark.executor.cores", String.valueOf(cores));
        Severity coreSeverity = Severity.of(cores, 6, 8, 12, 16, true);
        if (coreSeverity != Severity.NONE) {
            f.severity(coreSeverity).detail(cores + " cores per executor share one heap and disk")
                    .advise("spark.executor.cores", "4", "more than 5 concurrent tasks per executor hurt HDFS"
                            + " throughput and GC; use more executors instead");
        }
        long memory = Sizes.parseMemory(m.property("spark.executor.memory", null));
        if (memory >= 32 * Sizes.GIB) {
            f.severity(Severity.MODERATE).detail("executor heap " + Sizes.bytes(memory) + ": the JVM loses"
                    + " compressed pointers and GC pauses grow")
                    .advise("spark.executor.memory", "31g", "stay below 32 GiB and use more executors");
        }
        boolean dynamic = Boolean.parseBoolean(m.property("spark.dynamicAllocation.enabled", "false").trim());
        boolean shuffleService = Boolean.parseBoolean(m.property("spark.shuffle.service.enabled", "false").trim());
        boolean tracking = Boolean.parseBoolean(m.property("spark.dynamicAllocation.shuffleTracking.enabled",
                "false").trim());
        f.figure("dynamic allocation", dynamic ? "on" : "off");
        if (dynamic && !shuffleService && !tracking) {
            f.severity(Severity.SEVERE).detail("dynamic allocation without a shuffle service or shuffle tracking"
                    + " loses shuffle files when it removes executors")
                    .advise("spark.dynamicAllocation.shuffleTracking.enabled", "true", "keeps executors holding"
                            + " shuffle data until it is no longer needed")
                    .advise("spark.shuffle.service.enabled", "true", "or serve shuffle files from the node manager");
        }
        if ("0".equals(m.property("spark.driver.maxResultSize", "1g").trim())) {
            f.severity(Severity.MODERATE).detail("spark.driver.maxResultSize=0 lets one collect() exhaust the driver")
                    .advise("spark.driver.maxResultSize", "2g", "a limit makes a runaway collect fail fast");
        }
        String summary = f.severity() == Severity.NONE ? "The configuration follows the usual best practices."
                : "Some settings differ from the usual best practices (see details).";
        return f.summary(summary).build();
    }
}
