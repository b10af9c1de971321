package io.livykernel.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livykernel.backend.livy.rest.CreateBatchRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkSubmitCommandLineTest {
    @Test
    void everyRequestFieldBecomesItsSparkSubmitOptionAndTheApplicationComesLast() {
        CreateBatchRequest request = CreateBatchRequest.builder("/jobs/app.jar").className("org.example.Main")
                .name("nightly").queue("etl").proxyUser("alice").driverMemory("2g").driverCores(2)
                .executorMemory("8g").executorCores(4).numExecutors(10)
                .jars(List.of("/libs/a.jar", "hdfs:///libs/b.jar")).pyFiles(List.of("/stage/p.zip"))
                .files(List.of("/etc/f.conf")).archives(List.of("hdfs:///envs/ml.tar.gz#condaenv"))
                .conf(Map.of("spark.b", "2", "spark.a", "1")).args(List.of("--day", "2024-01-01")).build();
        SparkSubmitCommandLine command = SparkSubmitCommandLine.of(request, "yarn", "cluster");
        assertEquals(List.of("--master", "yarn", "--deploy-mode", "cluster", "--class", "org.example.Main",
                "--name", "nightly", "--queue", "etl", "--proxy-user", "alice", "--driver-memory", "2g",
                "--driver-cores", "2", "--executor-memory", "8g", "--executor-cores", "4", "--num-executors", "10",
                "--jars", "/libs/a.jar,hdfs:///libs/b.jar", "--py-files", "/stage/p.zip", "--files", "/etc/f.conf",
                "--archives", "hdfs:///envs/ml.tar.gz#condaenv", "--conf", "spark.a=1", "--conf", "spark.b=2",
                "/jobs/app.jar", "--day", "2024-01-01"), command.words());
        assertEquals("cluster", command.value("--deploy-mode"));
    }

    @Test
    void unsetFieldsAreLeftOut() {
        SparkSubmitCommandLine command = SparkSubmitCommandLine.of(CreateBatchRequest.builder("/jobs/main.py").build(),
                "local[2]", "client");
        assertEquals(List.of("--master", "local[2]", "--deploy-mode", "client", "/jobs/main.py"), command.words());
    }

    @Test
    void shellLineQuotesOnlyWordsTheShellWouldSplitOrExpand() {
        SparkSubmitCommandLine command = SparkSubmitCommandLine.of(CreateBatchRequest.builder("/jobs/main.py")
                .name("my job").args(List.of("it's", "$HOME", "plain-1.0")).build(), "yarn", "cluster");
        assertEquals("/opt/spark/bin/spark-submit --master yarn --deploy-mode cluster --name 'my job' /jobs/main.py"
                + " 'it'\\''s' '$HOME' plain-1.0", command.shellLine("/opt/spark/bin/spark-submit"));
    }
}
