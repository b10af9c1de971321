package io.livykernel.analyze;

/** One rule of the analyser: reads the metrics, says how bad one kind of problem is and what to change. */
public interface Heuristic {

    /** Stable identifier used in JSON and tests ("task-skew"). */
    String id();

    /** Short title for people ("Task skew within stages"). */
    String title();

    /** @throws NotComputable when the metrics it needs are missing (the reason says which and why) */
    Finding evaluate(AppMetrics metrics) throws NotComputable;

    /** The heuristic could not run on these metrics; the message is the reason for the report. */
    final class NotComputable extends Exception {
        public NotComputable(String reason) {
            super(reason);
        }

        /** Thrown when a resource the heuristic needs was not read; names it and the REST error. */
        public static NotComputable missing(AppMetrics metrics, String resource) {
            String why = metrics.whyUnavailable(resource);
            return new NotComputable("needs " + resource + ", which could not be read"
                    + (why == null ? "" : ": " + why));
        }
    }
}
