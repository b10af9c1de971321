package io.livykernel.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.backend.livy.rest.CreateBatchRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchStagingTest {
    private static final StagingConfig CONFIG = new StagingConfig(URI.create("http://nn:9870"), "/user/alice/stage",
            "alice", "hdfs://", Duration.ofSeconds(5));

    @TempDir
    Path dir;

    @Test
    void localFilesGetContentAddressedClusterPathsAndUrisStay() throws Exception {
        Path main = Files.writeString(dir.resolve("main.py"), "print(1)\n");
        Path zip = Files.write(dir.resolve("proj.zip"), new byte[] {1, 2, 3});
        Path env = Files.write(dir.resolve("env.tar.gz"), new byte[] {4, 5});
        Path copy = Files.createDirectory(dir.resolve("other")).resolve("main.py");
        Files.writeString(copy, "print(1)\n");
        CreateBatchRequest request = CreateBatchRequest.builder(main.toString())
                .pyFiles(List.of(zip.toString(), "hdfs:///libs/shared.zip"))
                .files(List.of(copy.toString()))
                .archives(List.of(env + "#condaenv")).build();
        BatchStaging.Plan plan = BatchStaging.plan(request, CONFIG);
        String mainUri = plan.request().file();
        assertEquals("hdfs:///user/alice/stage/" + BatchStaging.contentHash(main) + "/main.py", mainUri);
        assertEquals("hdfs:///libs/shared.zip", plan.request().pyFiles().get(1));
        assertTrue(plan.request().archives().get(0).endsWith("/env.tar.gz#condaenv"));
        assertEquals(mainUri, plan.request().files().get(0), "same name and bytes: one staged copy");
        assertEquals(3, plan.uploads().size());
        assertEquals(3, plan.uploads().get(1).size());
    }

    @Test
    void changedContentGetsANewPath() throws Exception {
        Path main = Files.writeString(dir.resolve("main.py"), "print(1)\n");
        String before = BatchStaging.plan(CreateBatchRequest.builder(main.toString()).build(), CONFIG).request().file();
        Files.writeString(main, "print(2)\n");
        assertNotEquals(before, BatchStaging.plan(CreateBatchRequest.builder(main.toString()).build(), CONFIG)
                .request().file());
    }

    @Test
    void aMissingLocalFileIsASubmissionError() {
        BatchSubmissionException e = assertThrows(BatchSubmissionException.class, () -> BatchStaging.plan(
                CreateBatchRequest.builder(dir.resolve("nope.py").toString()).build(), CONFIG));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void webHdfsErrorsShowTheRemoteException() {
        assertEquals("AccessControlException: Permission denied: user=bob", WebHdfsClient.remoteException(
                "{\"RemoteException\": {\"exception\": \"AccessControlException\", \"javaClassName\":"
                        + " \"org.apache.hadoop.security.AccessControlException\", \"message\": \"Permission denied:"
                        + " user=bob\"}}"));
        assertEquals("<html>Bad gateway", WebHdfsClient.remoteException("<html>Bad gateway\n</html>"));
    }
}
