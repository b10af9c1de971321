package io.livykernel.backend.livy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The poll schedule on simulated statements (no HTTP, no clock): how many polls a statement of a given
 * length costs and how late its end is noticed, with and without Livy's progress. The targets come from
 * the Livy backend issue: under 30 ms late up to 1 s when progress is reported, under 10% later, and at
 * most 30 requests for 10 s and 50 for 60 s, the POST included.
 */
class PollScheduleTest {

    /** Polls until the statement is done; returns {polls, lateness in ms}. */
    static long[] simulate(long durationMillis, boolean reportsProgress) {
        PollSchedule schedule = new PollSchedule();
        long now = 0;
        long polls = 0;
        double progress = 0;
        while (true) {
            now += schedule.nextDelay(now, progress);
            polls++;
            if (now >= durationMillis) {
                return new long[] {polls, now - durationMillis};
            }
            if (reportsProgress) {
                // Spark tasks finishing in eight steps, as Livy reports them.
                progress = Math.floor(8.0 * now / durationMillis) / 8.0;
            }
        }
    }

    @Test
    void longStatementsCostFewRequests() {
        assertTrue(simulate(10_000, false)[0] + 1 <= 30, "10 s without progress: " + simulate(10_000, false)[0]);
        assertTrue(simulate(60_000, false)[0] + 1 <= 50, "60 s without progress: " + simulate(60_000, false)[0]);
        assertTrue(simulate(10_000, true)[0] + 1 <= 30, "10 s with progress: " + simulate(10_000, true)[0]);
        assertTrue(simulate(60_000, true)[0] + 1 <= 50, "60 s with progress: " + simulate(60_000, true)[0]);
    }

    @Test
    void shortStatementsAreNoticedQuickly() {
        assertTrue(simulate(0, false)[1] <= 10);
        assertTrue(simulate(100, false)[1] < 30, "100 ms: late by " + simulate(100, false)[1]);
        assertTrue(simulate(1000, true)[1] < 30, "1 s with progress: late by " + simulate(1000, true)[1]);
    }

    @Test
    void lateStatementsAreNoticedWithinAFractionOfTheirDuration() {
        for (long d : new long[] {10_000, 60_000}) {
            assertTrue(simulate(d, true)[1] <= d / 10, d + " ms with progress: late by " + simulate(d, true)[1]);
            assertTrue(simulate(d, false)[1] <= d / 4, d + " ms without progress: late by " + simulate(d, false)[1]);
        }
    }

    public static void main(String[] args) {
        for (boolean progress : new boolean[] {false, true}) {
            for (long d : new long[] {0, 100, 1000, 10_000, 60_000}) {
                long[] r = simulate(d, progress);
                System.out.printf("progress=%s duration=%6d ms polls=%3d late=%5d ms%n", progress, d, r[0], r[1]);
            }
        }
    }
}
