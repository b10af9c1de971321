package io.livykernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.backend.livy.rest.CreateBatchRequest;
import io.livykernel.batch.BatchExitCode;
import io.livykernel.batch.BatchSubmissionException;
import io.livykernel.batch.SparkSubmitCommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.SparkAppHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkAppLauncherTest {
    @TempDir
    Path dir;

    @Test
    void launcherStatesMapToTheLivyRoutesExitCodes() {
        assertEquals(BatchExitCode.SUCCESS, SparkAppLauncher.exitCode(SparkAppHandle.State.FINISHED));
        assertEquals(BatchExitCode.FAILED, SparkAppLauncher.exitCode(SparkAppHandle.State.FAILED));
        assertEquals(BatchExitCode.FAILED, SparkAppLauncher.exitCode(SparkAppHandle.State.LOST));
        assertEquals(BatchExitCode.KILLED, SparkAppLauncher.exitCode(SparkAppHandle.State.KILLED));
        assertEquals(BatchExitCode.NOT_FINISHED, SparkAppLauncher.exitCode(SparkAppHandle.State.RUNNING));
    }

    @Test
    void sparkHomeMustHoldAnExecutableSparkSubmit() throws Exception {
        assertTrue(assertThrows(BatchSubmissionException.class, () -> SparkAppLauncher.sparkHome(
                dir.resolve("none").toString())).getMessage().contains("is not a directory"));
        assertTrue(assertThrows(BatchSubmissionException.class, () -> SparkAppLauncher.sparkHome(dir.toString()))
                .getMessage().contains("has no executable bin/spark-submit"));
        Path submit = Files.createDirectory(dir.resolve("bin")).resolve("spark-submit");
        Files.writeString(submit, "#!/bin/sh\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(dir.toAbsolutePath().normalize(), SparkAppLauncher.sparkHome(dir.toString()));
    }

    @Test
    void ctrlCBeforeTheClusterAcceptedTheApplicationStopsTheSubmission() throws Exception {
        // a spark-submit that never reaches a cluster: it notes its pid and waits
        Path pidFile = dir.resolve("spark-submit.pid");
        Path submit = Files.createDirectory(dir.resolve("bin")).resolve("spark-submit");
        Files.writeString(submit, "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 60\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SparkAppLauncher route = new SparkAppLauncher(SparkSubmitCommandLine.of(
                CreateBatchRequest.builder("/jobs/main.py").build(), "yarn", "cluster"), dir,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new SystemTerminal(), null);   // never reaches a cluster, so reads no usage
        route.requestStop();

        assertEquals(BatchExitCode.KILLED.code(), route.run(false, null));

        assertTrue(err.toString(StandardCharsets.UTF_8).contains("interrupted before the cluster accepted the"
                + " application: nothing to detach from, so the submission is stopped"), err.toString());
        assertEquals("", out.toString(StandardCharsets.UTF_8), "no application id to print");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Optional<ProcessHandle> child = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        if (child.isPresent()) {
            child.get().onExit().get(10, TimeUnit.SECONDS);   // no spark-submit is left behind
        }
    }
}
