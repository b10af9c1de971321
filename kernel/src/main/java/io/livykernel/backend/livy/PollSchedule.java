package io.livykernel.backend.livy;

/**
 * When to ask Livy again about a running statement, built on what a real Livy showed (the README's
 * Performance section has the figures; tests/livy-recordings has the recordings):
 * <ul>
 * <li><b>The end is seen on {@code GET /sessions/{id}/state}</b>, which the Livy server answers alone (about
 * 0.2 ms of its CPU, nothing on the Spark driver) and which turns {@code idle} a median 1-2 ms after the
 * statement's {@code completed}. It is polled every {@value #STATE_MILLIS} ms (40 a second), the first time
 * {@value #FIRST_STATE_MILLIS} ms after the POST; from {@value #TAPER_FROM_MILLIS} ms on the interval widens
 * to {@value #LONG_STATE_MILLIS} ms at {@value #TAPER_TO_MILLIS} ms, then to 1/{@value #LATE_STATE_DIVISOR}
 * of the time spent (at most {@value #MAX_STATE_MILLIS} ms), so hour-long statements cost a few polls a
 * second.</li>
 * <li><b>Statement GETs</b> (an RPC to the driver) confirm an {@code idle}, and otherwise come about once a
 * second for the progress bar ({@value #STATEMENT_MILLIS} ms plus 1/{@value #STATEMENT_GROWTH_DIVISOR} of
 * the time spent, at most {@value #MAX_STATEMENT_MILLIS} ms). They also notice the end when a statement
 * queued behind ours keeps the session {@code busy}.</li>
 * <li><b>An {@code idle} that a GET shows was not the end</b> (right after the POST, or a gap inside one
 * statement) is not confirmed again until the session was seen busy, or after a back-off of
 * {@value #CONFIRM_BACKOFF_MILLIS} ms doubling per false idle, so a long gap cannot turn into a storm.</li>
 * </ul>
 */
final class PollSchedule {
    static final long FIRST_STATE_MILLIS = 10;
    static final long STATE_MILLIS = 25;
    static final long TAPER_FROM_MILLIS = 10_000;
    static final long TAPER_TO_MILLIS = 60_000;
    static final long LONG_STATE_MILLIS = 35;
    static final long LATE_STATE_DIVISOR = 1700;
    static final long MAX_STATE_MILLIS = 1000;
    static final long STATEMENT_MILLIS = 1000;
    static final long STATEMENT_GROWTH_DIVISOR = 10;
    static final long MAX_STATEMENT_MILLIS = 10_000;
    static final long CONFIRM_BACKOFF_MILLIS = 100;
    static final long MAX_CONFIRM_BACKOFF_MILLIS = 2000;
    static final long FAILURE_BACKOFF_MILLIS = 250;
    static final long MAX_FAILURE_BACKOFF_MILLIS = 5000;

    private PollSchedule() {
    }

    /** Milliseconds from one {@code /state} poll to the next, {@code elapsed} after the POST. */
    static long stateInterval(long elapsedMillis) {
        if (elapsedMillis <= TAPER_FROM_MILLIS) {
            return STATE_MILLIS;
        }
        if (elapsedMillis <= TAPER_TO_MILLIS) {
            return STATE_MILLIS + (LONG_STATE_MILLIS - STATE_MILLIS) * (elapsedMillis - TAPER_FROM_MILLIS)
                    / (TAPER_TO_MILLIS - TAPER_FROM_MILLIS);
        }
        return Math.min(MAX_STATE_MILLIS, Math.max(LONG_STATE_MILLIS, elapsedMillis / LATE_STATE_DIVISOR));
    }

    /** Milliseconds until the next statement GET that nothing else asked for (progress, queued statements). */
    static long statementInterval(long elapsedMillis) {
        return Math.min(MAX_STATEMENT_MILLIS, STATEMENT_MILLIS + elapsedMillis / STATEMENT_GROWTH_DIVISOR);
    }

    /** How long an {@code idle} goes unconfirmed after the {@code falseIdles}-th one that was not the end. */
    static long confirmBackoff(int falseIdles) {
        return Math.min(MAX_CONFIRM_BACKOFF_MILLIS, CONFIRM_BACKOFF_MILLIS << Math.min(10, falseIdles - 1));
    }

    /** The pause after the {@code failures}-th poll in a row that failed. */
    static long failureBackoff(int failures) {
        return Math.min(MAX_FAILURE_BACKOFF_MILLIS, FAILURE_BACKOFF_MILLIS << Math.min(10, failures - 1));
    }
}
