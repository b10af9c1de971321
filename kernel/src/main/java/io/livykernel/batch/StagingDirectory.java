package io.livykernel.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The directory for generated files: --staging-dir, else a temporary directory made on first use. */
final class StagingDirectory {
    private final String given;
    private Path dir;

    StagingDirectory(String given) {
        this.given = given;
    }

    Path dir() throws BatchSubmissionException {
        if (dir == null) {
            try {
                dir = given != null ? Files.createDirectories(Path.of(given)).toAbsolutePath().normalize()
                        : Files.createTempDirectory("livy-submit-").toAbsolutePath();
            } catch (IOException e) {
                throw new BatchSubmissionException("cannot create the staging directory " + given + ": " + e.getMessage(), e);
            }
        }
        return dir;
    }

    String write(String name, String content) throws BatchSubmissionException {
        Path target = dir().resolve(name);
        try {
            Files.writeString(target, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BatchSubmissionException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return target.toString();
    }
}
