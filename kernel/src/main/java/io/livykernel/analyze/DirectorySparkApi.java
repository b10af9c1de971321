package io.livykernel.analyze;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Captured REST answers in a directory that mirrors the URL paths: {@code api/v1/applications/app-1/jobs} is the
 * file {@code api/v1/applications/app-1/jobs.json}; a query is kept in the name after {@code @}
 * ({@code taskSummary@quantiles=0.0,0.5,1.0.json}). A missing file answers 404, as the server would.
 */
public final class DirectorySparkApi implements SparkApi {
    private final Path root;

    public DirectorySparkApi(Path root) {
        this.root = root;
    }

    /** The file that holds (or will hold) the answer for {@code path} under {@code root}. */
    public static Path fileFor(Path root, String path) {
        return root.resolve("api/v1/" + path.replace('?', '@') + ".json").normalize();
    }

    @Override
    public String get(String path) throws SparkApiException {
        Path file = fileFor(root, path);
        if (!file.startsWith(root.normalize()) || !Files.isRegularFile(file)) {
            throw new SparkApiException(404, "HTTP 404 for " + path + " (no captured answer)");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SparkApiException(0, "cannot read " + file + ": " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return root.toString();
    }
}
