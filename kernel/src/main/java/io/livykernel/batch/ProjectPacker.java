package io.livykernel.batch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs a project directory into the zip that goes into {@code pyFiles}. The zip is deterministic (same
 * tree, same bytes: sorted entries, one fixed timestamp, no extra fields), so a re-run of an unchanged
 * project gets the same file name and content, and caches on the cluster side stay valid.
 */
public final class ProjectPacker {
    /** DOS time's epoch; written as local time so the bytes do not depend on the time zone. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private ProjectPacker() {
    }

    /** The files that go into the zip, as sorted '/'-separated paths relative to {@code projectDir}. */
    public static List<String> entries(Path projectDir) throws IOException {
        IgnoreRules rules = IgnoreRules.forProject(projectDir);
        List<String> found = new ArrayList<>();
        collect(projectDir, projectDir, rules, found);
        found.sort(null);
        return found;
    }

    private static void collect(Path root, Path dir, IgnoreRules rules, List<String> found) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.toList();
        }
        for (Path child : children) {
            Path relative = root.relativize(child);
            boolean directory = Files.isDirectory(child);
            if (rules.skips(relative, directory, child)) {
                continue;
            }
            if (directory) {
                collect(root, child, rules, found);
            } else if (Files.isRegularFile(child)) {
                found.add(relative.toString().replace('\\', '/'));
            }
        }
    }

    /** The zip's bytes. */
    public static byte[] zip(Path projectDir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : entries(projectDir)) {
                ZipEntry entry = new ZipEntry(name);
                entry.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(entry);
                zip.write(Files.readAllBytes(projectDir.resolve(name)));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the zip into {@code stagingDir} as {@code NAME-HASH.zip} (the project directory's name and the
     * start of the content's SHA-256): stable for an unchanged project, distinct for a changed one, so a
     * running job never sees its zip replaced. Returns the file.
     */
    public static Path packInto(Path projectDir, Path stagingDir) throws BatchSubmissionException {
        if (!Files.isDirectory(projectDir)) {
            throw new BatchSubmissionException("--project is not a directory: " + projectDir.toAbsolutePath().normalize());
        }
        byte[] content;
        try {
            content = zip(projectDir);
        } catch (IOException | UncheckedIOException e) {
            throw new BatchSubmissionException("cannot read project " + projectDir.toAbsolutePath().normalize() + ": "
                    + e.getMessage(), e);
        }
        Path name = projectDir.toAbsolutePath().normalize().getFileName();
        Path target = stagingDir.resolve((name == null ? "project" : name.toString()) + "-"
                + sha256(content).substring(0, 12) + ".zip");
        try {
            Files.createDirectories(stagingDir);
            Path partial = Files.createTempFile(stagingDir, ".pack-", ".tmp");
            Files.write(partial, content);
            Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BatchSubmissionException("cannot write the project zip to " + stagingDir.toAbsolutePath().normalize()
                    + ": " + e.getMessage(), e);
        }
        return target;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
