package io.livykernel.analyze;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a small capture in DirectorySparkApi's layout, resource by resource, for one application. */
final class CapturedApp {
    static final String APP = "application_1700000000000_0001";
    private final Path root;

    CapturedApp(Path root) throws IOException {
        this.root = root;
        put("applications/" + APP, "{\"id\":\"" + APP + "\",\"name\":\"etl\",\"attempts\":[{\"startTimeEpoch\":"
                + "1700000000000,\"endTimeEpoch\":1700000600000,\"duration\":600000,\"completed\":true,"
                + "\"appSparkVersion\":\"3.5.1\"}]}");
    }

    CapturedApp put(String path, String json) throws IOException {
        Path file = DirectorySparkApi.fileFor(root, path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return this;
    }

    CapturedApp resource(String name, String json) throws IOException {
        return put("applications/" + APP + "/" + name, json);
    }

    /** One finished stage of {@code tasks} tasks in job group "3", and the job that ran it. */
    CapturedApp stage(int id, int tasks, long runTimeMs, long spilled, long shuffleRead) throws IOException {
        resource("jobs", "[{\"jobId\":0,\"status\":\"SUCCEEDED\",\"jobGroup\":\"3\",\"stageIds\":[" + id + "]}]");
        return resource("stages", "[{\"status\":\"COMPLETE\",\"stageId\":" + id + ",\"attemptId\":0,\"numTasks\":"
                + tasks + ",\"numCompleteTasks\":" + tasks + ",\"submissionTime\":\"2023-11-14T22:13:30.000GMT\","
                + "\"completionTime\":\"2023-11-14T22:14:30.000GMT\",\"executorRunTime\":" + runTimeMs
                + ",\"memoryBytesSpilled\":" + spilled + ",\"diskBytesSpilled\":" + spilled / 3
                + ",\"shuffleReadBytes\":" + shuffleRead + "}]");
    }

    AppMetrics read() throws Exception {
        return new MetricsReader(new DirectorySparkApi(root)).read(APP);
    }
}
