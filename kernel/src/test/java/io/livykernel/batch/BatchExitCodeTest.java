package io.livykernel.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livykernel.backend.livy.rest.SessionState;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchExitCodeTest {
    @Test
    void finalStatesMapToDistinctCodesAndOnlySuccessIsZero() {
        assertEquals(0, BatchExitCode.forState(SessionState.SUCCESS).code());
        assertEquals(1, BatchExitCode.forState(SessionState.DEAD).code());
        assertEquals(1, BatchExitCode.forState(SessionState.ERROR).code());
        assertEquals(3, BatchExitCode.forState(SessionState.KILLED).code());
        assertEquals(5, BatchExitCode.forState(SessionState.RUNNING).code());
        assertEquals(5, BatchExitCode.forState(SessionState.STARTING).code());
        assertEquals(2, BatchExitCode.SUBMISSION_ERROR.code());
        assertEquals(4, BatchExitCode.TIMEOUT.code());
        assertEquals(6, BatchExitCode.OUTCOME_UNKNOWN.code(), "schedulers read 6 as: do not retry blindly");
        assertEquals(BatchExitCode.values().length,
                Arrays.stream(BatchExitCode.values()).mapToInt(BatchExitCode::code).distinct().count());
    }
}
