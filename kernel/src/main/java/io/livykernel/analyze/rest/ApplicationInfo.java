package io.livykernel.analyze.rest;

import java.util.List;

/** {@code applications/{id}}: the application and its attempts (a History Server may list several). */
public record ApplicationInfo(String id, String name, List<Attempt> attempts) {

    public record Attempt(String attemptId, long startTimeEpoch, long endTimeEpoch, long duration, String sparkUser,
                          boolean completed, String appSparkVersion) {
    }

    /** The attempt a report is about: the last one (the one that ran to the end, or is running). */
    public Attempt lastAttempt() {
        return attempts == null || attempts.isEmpty() ? null : attempts.get(0);
    }
}
