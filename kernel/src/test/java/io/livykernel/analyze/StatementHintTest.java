package io.livykernel.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.analyze.heuristics.StandardHeuristics;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementHintTest {
    @TempDir
    Path dir;

    /** Stage 4 of statement 3 spilled 3 GiB; stage 5 of statement 8 was quiet. */
    private StatementHint twoStatements() throws Exception {
        new CapturedApp(dir)
                .resource("jobs", "[{\"jobId\":0,\"status\":\"SUCCEEDED\",\"jobGroup\":\"3\",\"stageIds\":[4]},"
                        + "{\"jobId\":1,\"status\":\"SUCCEEDED\",\"jobGroup\":\"8\",\"stageIds\":[5]}]")
                .resource("stages", "[" + stage(4, 3L * Sizes.GIB) + "," + stage(5, 0) + "]");
        return new StatementHint(new DirectorySparkApi(dir), StandardHeuristics.analyzer());
    }

    private static String stage(int id, long spilled) {
        return "{\"status\":\"COMPLETE\",\"stageId\":" + id + ",\"attemptId\":0,\"numTasks\":8,\"numCompleteTasks\":8,"
                + "\"submissionTime\":\"2023-11-14T22:13:30.000GMT\",\"completionTime\":\"2023-11-14T22:14:30.000GMT\","
                + "\"executorRunTime\":400000,\"memoryBytesSpilled\":" + spilled + ",\"diskBytesSpilled\":" + spilled
                + ",\"shuffleReadBytes\":" + 2L * Sizes.GIB + "}";
    }

    @Test
    void aCriticalFindingOfTheStatementIsOneLinePointingAtAnalyze() throws Exception {
        Optional<String> hint = twoStatements().forJobGroup(CapturedApp.APP, "3");
        assertTrue(hint.isPresent());
        assertTrue(hint.get().startsWith("This cell: shuffle and memory spill (critical)"), hint.get());
        assertTrue(hint.get().endsWith("Run %%analyze for advice."), hint.get());
        assertEquals(1, hint.get().lines().count());
    }

    @Test
    void anotherStatementsProblemIsNotThisCellsHint() throws Exception {
        assertEquals(Optional.empty(), twoStatements().forJobGroup(CapturedApp.APP, "8"));
    }
}
