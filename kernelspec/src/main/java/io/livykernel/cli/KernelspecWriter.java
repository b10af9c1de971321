package io.livykernel.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Writes a kernelspec directory: kernel.json, the logos, and a copy of the jar, so that the installed
 * kernel keeps working when the build tree is cleaned or removed.
 */
final class KernelspecWriter {
    static final String JAR_NAME = "livy-kernel.jar";

    /** JVM flags tuned for a small, quick-starting kernel process: serial GC, C1 only, modest heap. */
    static final List<String> JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xms8m", "-Xmx512m",
            "-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=32m", "-Xshare:auto");

    record Spec(String name, String displayName, Path javaExecutable, Path sourceJar, Map<String, String> env) {
    }

    /** Writes a class-data-sharing archive for the installed jar; false when it could not. */
    @FunctionalInterface
    interface ArchiveRecorder {
        boolean record(Path java, Path jar, Path archive);
    }

    private final ArchiveRecorder recorder;

    /** @param recorder records the kernel's class-data archive, or null for none */
    KernelspecWriter(ArchiveRecorder recorder) {
        this.recorder = recorder;
    }

    /** Writes {@code kernelsDir/NAME}; refuses to replace an existing spec unless {@code force}. */
    Path write(Path kernelsDir, Spec spec, boolean force) throws IOException {
        Path dir = kernelsDir.resolve(spec.name());
        Path kernelJson = dir.resolve("kernel.json");
        if (Files.exists(kernelJson) && !force) {
            throw new FileAlreadyExistsException(dir.toString(), null, "a kernelspec named '" + spec.name()
                    + "' is already installed there; add --force to replace it, or choose another --name");
        }
        Files.createDirectories(dir);
        Path jar = dir.resolve(JAR_NAME);
        if (!Files.isSameFile(spec.sourceJar().getParent(), dir)) {
            Files.copy(spec.sourceJar(), jar, StandardCopyOption.REPLACE_EXISTING);
        }
        copyResource("logo-32x32.png", dir);
        copyResource("logo-64x64.png", dir);
        Path archive = dir.resolve(ClassDataArchive.FILE_NAME).toAbsolutePath();
        boolean recorded = recorder != null && recorder.record(spec.javaExecutable(), jar.toAbsolutePath(), archive);
        if (!recorded) {
            Files.deleteIfExists(archive);
        }
        Files.writeString(kernelJson, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(kernelJson(spec, jar.toAbsolutePath(), recorded ? archive : null)) + "\n");
        return dir;
    }

    /** The kernel.json content; {@code archive} (may be null) is the class-data archive to start from. */
    static JsonObject kernelJson(Spec spec, Path jar, Path archive) {
        JsonObject json = new JsonObject();
        JsonArray argv = new JsonArray();
        argv.add(spec.javaExecutable().toAbsolutePath().toString());
        JVM_OPTIONS.forEach(argv::add);
        if (archive != null) {
            argv.add("-XX:SharedArchiveFile=" + archive);
        }
        argv.add("-jar");
        argv.add(jar.toString());
        argv.add("kernel");
        argv.add("-f");
        argv.add("{connection_file}");
        json.add("argv", argv);
        json.addProperty("display_name", spec.displayName());
        json.addProperty("language", "python");
        json.addProperty("interrupt_mode", "message");
        if (!spec.env().isEmpty()) {
            JsonObject env = new JsonObject();
            spec.env().forEach(env::addProperty);
            json.add("env", env);
        }
        JsonObject metadata = new JsonObject();
        metadata.addProperty("debugger", false);
        json.add("metadata", metadata);
        return json;
    }

    private static void copyResource(String name, Path dir) throws IOException {
        try (InputStream in = KernelspecWriter.class.getResourceAsStream("/io/livykernel/kernelspec/" + name)) {
            if (in == null) {
                throw new IOException("the jar lacks " + name + "; rebuild it with mvn package");
            }
            Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
