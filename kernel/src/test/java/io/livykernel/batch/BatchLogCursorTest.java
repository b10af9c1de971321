package io.livykernel.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchLogCursorTest {
    /** Livy's batch log layout for the given streams. */
    private static List<String> log(List<String> stdout, List<String> stderr) {
        List<String> lines = new ArrayList<>(List.of("stdout: "));
        lines.addAll(stdout);
        lines.add("\nstderr: ");
        lines.addAll(stderr);
        return lines;
    }

    private static List<String> read(BatchLogCursor cursor, List<String> whole) {
        return cursor.advance(whole.subList(Math.min(cursor.nextFrom(), whole.size()), whole.size()));
    }

    @Test
    void growingStdoutPushingStderrDownLosesAndRepeatsNothing() {
        BatchLogCursor cursor = new BatchLogCursor();
        assertEquals(List.of(), read(cursor, List.of()));
        assertEquals(List.of("o1", "e1"), read(cursor, log(List.of("o1"), List.of("e1"))));
        assertEquals(List.of("o2", "o3"), read(cursor, log(List.of("o1", "o2", "o3"), List.of("e1"))));
        assertEquals(List.of("e2"), read(cursor, log(List.of("o1", "o2", "o3"), List.of("e1", "e2"))));
        assertEquals(List.of("o4", "e3"), read(cursor, log(List.of("o1", "o2", "o3", "o4"), List.of("e1", "e2", "e3"))));
        assertEquals(List.of(), read(cursor, log(List.of("o1", "o2", "o3", "o4"), List.of("e1", "e2", "e3"))));
    }

    @Test
    void aLogWithoutSectionsIsReadAsAppendedLines() {
        BatchLogCursor cursor = new BatchLogCursor();
        assertEquals(List.of("a", "b"), read(cursor, List.of("a", "b")));
        assertEquals(List.of("c"), read(cursor, List.of("a", "b", "c")));
    }

    @Test
    void kubernetesDiagnosticsPushedDownByStdoutAreNotPrintedTwice() {
        // Livy on Kubernetes: "stdout: ", the driver pod's log, "\nstderr: ", spark-submit's, then the pods.
        BatchLogCursor cursor = new BatchLogCursor();
        List<String> first = new ArrayList<>(log(List.of("o1"), List.of("e1")));
        first.addAll(List.of("\nKubernetes Diagnostics: ", "job-driver.spark-jobs:", "\tphase: Running"));
        assertEquals(List.of("o1", "e1", "job-driver.spark-jobs:", "\tphase: Running"), read(cursor, first));
        List<String> second = new ArrayList<>(log(List.of("o1", "o2"), List.of("e1")));
        second.addAll(List.of("\nKubernetes Diagnostics: ", "job-driver.spark-jobs:", "\tphase: Running"));
        assertEquals(List.of("o2"), read(cursor, second));
    }
}
