package io.livykernel.sparkjobs;

import io.livykernel.analyze.DirectorySparkApi;
import io.livykernel.analyze.SparkApi;
import io.livykernel.analyze.SparkApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Asks a live Spark UI and keeps each answer in the layout {@link DirectorySparkApi} reads back. */
final class RecordingSparkApi implements SparkApi {
    private final SparkApi live;
    private final Path root;

    RecordingSparkApi(SparkApi live, Path root) {
        this.live = live;
        this.root = root;
    }

    @Override
    public String get(String path) throws SparkApiException, InterruptedException {
        String answer = live.get(path);
        Path file = DirectorySparkApi.fileFor(root, path);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, answer, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return answer;
    }

    @Override
    public String describe() {
        return live.describe();
    }
}
