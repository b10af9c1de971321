package io.livykernel.backend.livy;

/**
 * When to ask Livy again about a running statement. Livy has no push, so every poll is an RPC to the
 * remote driver; the schedule trades how late a cell's end is noticed against load on a server that
 * hundreds of notebooks share.
 * <ul>
 * <li>The first second is polled densely (intervals growing from {@value #FIRST_MILLIS} ms to
 * {@value #FIRST_SECOND_CAP_MILLIS} ms), because most cells are short and a person is waiting.</li>
 * <li>After that the interval grows with the time already spent ({@link #GROWTH} of it, at most
 * {@value #MAX_MILLIS} ms): a late answer costs a small share of a long statement.</li>
 * <li>When the statement's {@code progress} rises (Spark tasks finishing), the end is predicted as
 * elapsed / progress. Progress counts finished tasks, so it moves in steps and lags the work: the step
 * (the smallest progress seen) is taken into account by reading the progress as half a step further.
 * The estimate stays rough, so each poll
 * goes half-way to it (never closer than {@link #NEAR_END_SHARE} of the elapsed time), which homes in on
 * the end whether the estimate is early or late.</li>
 * </ul>
 * Figures from tests/bench against the Livy test double are in the README.
 */
final class PollSchedule {
    static final long FIRST_MILLIS = 10;
    static final long FIRST_SECOND_CAP_MILLIS = 80;
    static final double GROWTH = 0.3;
    static final double NEAR_END_SHARE = 0.02;
    static final long MAX_MILLIS = 5000;

    private long lastInterval;
    private double step = 1;

    /** Milliseconds to wait before the next poll, given the time since submission and the last progress. */
    long nextDelay(long elapsedMillis, double progress) {
        long interval;
        if (elapsedMillis < 1000) {
            interval = lastInterval == 0 ? FIRST_MILLIS
                    : Math.min(FIRST_SECOND_CAP_MILLIS, Math.round(lastInterval * 1.4) + 1);
        } else {
            interval = Math.min(MAX_MILLIS, Math.max(FIRST_SECOND_CAP_MILLIS, Math.round(elapsedMillis * GROWTH)));
        }
        lastInterval = interval;
        if (progress > 0 && progress < 1) {
            step = Math.min(step, progress);
            long predictedEnd = Math.round(elapsedMillis / Math.min(1, progress + step / 2));
            long nearEnd = Math.max(FIRST_MILLIS * 2, Math.round(elapsedMillis * NEAR_END_SHARE));
            interval = Math.min(interval, Math.max(nearEnd, (predictedEnd - elapsedMillis) / 2));
        }
        return interval;
    }
}
