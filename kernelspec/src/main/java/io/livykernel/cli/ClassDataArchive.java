package io.livykernel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Records the application class-data-sharing archive for an installed kernel: a {@code cds-train} run of
 * the installed jar with -XX:ArchiveClassesAtExit. The JVM checks the archive against the jar and its own
 * version at every start and ignores it (with -Xshare:auto) when they no longer match, so a stale archive
 * costs nothing but the speed-up.
 */
final class ClassDataArchive {
    static final String FILE_NAME = "livy-kernel.jsa";
    private static final Logger LOG = Logger.getLogger(ClassDataArchive.class.getName());

    private ClassDataArchive() {
    }

    /** True when the archive was written. */
    static boolean record(Path java, Path jar, Path archive) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(KernelspecWriter.JVM_OPTIONS);
        command.add("-XX:ArchiveClassesAtExit=" + archive);
        command.addAll(List.of("-jar", jar.toString(), "cds-train"));
        try {
            Files.deleteIfExists(archive);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && Files.isRegularFile(archive);
        } catch (IOException e) {
            LOG.fine(() -> "no class-data archive: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
