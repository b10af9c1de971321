package io.livykernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.batch.BatchExitCode;
import io.livykernel.batch.BatchSubmissionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.spark.launcher.SparkAppHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSubmitRouteTest {
    @TempDir
    Path dir;

    @Test
    void launcherStatesMapToTheLivyRoutesExitCodes() {
        assertEquals(BatchExitCode.SUCCESS, SparkSubmitRoute.exitCode(SparkAppHandle.State.FINISHED));
        assertEquals(BatchExitCode.FAILED, SparkSubmitRoute.exitCode(SparkAppHandle.State.FAILED));
        assertEquals(BatchExitCode.FAILED, SparkSubmitRoute.exitCode(SparkAppHandle.State.LOST));
        assertEquals(BatchExitCode.KILLED, SparkSubmitRoute.exitCode(SparkAppHandle.State.KILLED));
        assertEquals(BatchExitCode.NOT_FINISHED, SparkSubmitRoute.exitCode(SparkAppHandle.State.RUNNING));
    }

    @Test
    void sparkHomeMustHoldAnExecutableSparkSubmit() throws Exception {
        assertTrue(assertThrows(BatchSubmissionException.class, () -> SparkSubmitRoute.sparkHome(
                dir.resolve("none").toString())).getMessage().contains("is not a directory"));
        assertTrue(assertThrows(BatchSubmissionException.class, () -> SparkSubmitRoute.sparkHome(dir.toString()))
                .getMessage().contains("has no executable bin/spark-submit"));
        Path submit = Files.createDirectory(dir.resolve("bin")).resolve("spark-submit");
        Files.writeString(submit, "#!/bin/sh\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(dir.toAbsolutePath().normalize(), SparkSubmitRoute.sparkHome(dir.toString()));
    }
}
