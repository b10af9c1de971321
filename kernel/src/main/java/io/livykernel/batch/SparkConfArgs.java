package io.livykernel.batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --conf KEY=VALUE} options, checked: a malformed one is a usage error, not a silently dropped setting. */
public final class SparkConfArgs {
    private SparkConfArgs() {
    }

    /** The settings in the order given; a later value for the same key wins, as with spark-submit. */
    public static Map<String, String> parse(List<String> values) throws BatchSubmissionException {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            String key = eq < 0 ? "" : value.substring(0, eq).trim();
            if (eq < 0 || key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                throw new BatchSubmissionException("--conf expects KEY=VALUE, e.g. --conf spark.sql.shuffle.partitions=64"
                        + " (got '" + value + "')");
            }
            conf.put(key, value.substring(eq + 1));
        }
        return conf;
    }
}
