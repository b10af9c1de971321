package io.livykernel.cli;

import java.util.List;

import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelspecWriterTest {
    @TempDir
    Path tmp;

    private Path kernels;
    private final KernelspecWriter writer = new KernelspecWriter(null);

    @BeforeEach
    void layout() {
        kernels = tmp.resolve("prefix/share/jupyter/kernels");
    }

    @Test
    void kernelJsonStartsThisJarWithTheConnectionFileAndAsksForInterruptMessages() throws IOException {
        Path dir = writer.write(kernels, spec("PySpark (Livy)", jar("v1"), Map.of()), false);

        assertEquals(kernels.resolve("pyspark-livy"), dir);
        JsonObject json = kernelJson(dir);
        JsonArray argv = json.getAsJsonArray("argv");
        Path java = Path.of(argv.get(0).getAsString());
        assertTrue(java.isAbsolute(), "java must be absolute: " + java);
        assertTrue(java.endsWith(Path.of("bin", "java")), java.toString());
        int jarFlag = indexOf(argv, "-jar");
        Path jarArg = Path.of(argv.get(jarFlag + 1).getAsString());
        assertTrue(jarArg.isAbsolute(), "jar must be absolute: " + jarArg);
        assertEquals(dir.resolve(KernelspecWriter.JAR_NAME).toAbsolutePath(), jarArg);
        assertEquals("kernel", argv.get(jarFlag + 2).getAsString());
        assertEquals("-f", argv.get(jarFlag + 3).getAsString());
        assertEquals("{connection_file}", argv.get(argv.size() - 1).getAsString());
        assertEquals("message", json.get("interrupt_mode").getAsString());
        assertEquals("python", json.get("language").getAsString());
        assertEquals("PySpark (Livy)", json.get("display_name").getAsString());
        assertFalse(json.has("env"), "no env without --livy-url or --python");
    }

    @Test
    void relativeJavaPathIsMadeAbsolute() throws IOException {
        KernelspecWriter.Spec spec = new KernelspecWriter.Spec("pyspark-livy", "PySpark", Path.of("jdk/bin/java"),
                jar("v1"), Map.of());

        Path java = Path.of(kernelJson(writer.write(kernels, spec, false)).getAsJsonArray("argv").get(0).getAsString());

        assertTrue(java.isAbsolute(), java.toString());
    }

    @Test
    void livyUrlGoesIntoTheEnvironment() throws IOException {
        Path dir = writer.write(kernels, spec("PySpark", jar("v1"), Map.of("LIVY_URL", "http://livy:8998")), false);

        assertEquals("http://livy:8998", kernelJson(dir).getAsJsonObject("env").get("LIVY_URL").getAsString());
    }

    @Test
    void bothLogosArePngsOfTheirNamedSize() throws IOException {
        Path dir = writer.write(kernels, spec("PySpark", jar("v1"), Map.of()), false);

        assertImage(dir.resolve("logo-32x32.png"), 32);
        assertImage(dir.resolve("logo-64x64.png"), 64);
    }

    @Test
    void copiesTheJarIntoTheSpecSoItOutlivesTheBuildTree() throws IOException {
        Path source = jar("jar bytes v1");

        Path dir = writer.write(kernels, spec("PySpark", source, Map.of()), false);
        Files.delete(source);

        assertEquals("jar bytes v1", Files.readString(dir.resolve(KernelspecWriter.JAR_NAME)));
    }

    @Test
    void installingAgainWithoutForceFailsNamingForceAndLeavesTheOldSpecAlone() throws IOException {
        Path dir = writer.write(kernels, spec("Old name", jar("old jar"), Map.of()), false);
        byte[] oldKernelJson = Files.readAllBytes(dir.resolve("kernel.json"));

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> writer.write(kernels, spec("New name", jar("new jar"), Map.of()), false));

        assertTrue(e.getReason().contains("--force"), e.getReason());
        assertArrayEquals(oldKernelJson, Files.readAllBytes(dir.resolve("kernel.json")));
        assertEquals("old jar", Files.readString(dir.resolve(KernelspecWriter.JAR_NAME)));
    }

    @Test
    void installingAgainWithForceReplacesTheSpec() throws IOException {
        writer.write(kernels, spec("Old name", jar("old jar"), Map.of()), false);

        Path dir = writer.write(kernels, spec("New name", jar("new jar"), Map.of()), true);

        assertEquals("New name", kernelJson(dir).get("display_name").getAsString());
        assertEquals("new jar", Files.readString(dir.resolve(KernelspecWriter.JAR_NAME)));
    }

    @Test
    void reinstallingFromTheInstalledJarKeepsIt() throws IOException {
        Path dir = writer.write(kernels, spec("PySpark", jar("installed jar"), Map.of()), false);

        writer.write(kernels, spec("PySpark", dir.resolve(KernelspecWriter.JAR_NAME), Map.of()), true);

        assertEquals("installed jar", Files.readString(dir.resolve(KernelspecWriter.JAR_NAME)));
    }

    private KernelspecWriter.Spec spec(String displayName, Path jar, Map<String, String> env) {
        return new KernelspecWriter.Spec("pyspark-livy", displayName, tmp.resolve("jdk/bin/java"), jar, env);
    }

    /** A stand-in for the built jar, with recognisable contents. */
    private Path jar(String contents) throws IOException {
        Path build = Files.createDirectories(tmp.resolve("build-" + contents.replaceAll("\\W", "-")));
        return Files.writeString(build.resolve("livy-kernel.jar"), contents);
    }

    @Test
    void aRecordedClassDataArchiveIsNamedBeforeTheJar() throws IOException {
        KernelspecWriter recording = new KernelspecWriter((java, jar, archive) -> {
            try {
                Files.writeString(archive, "archive");
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        Path dir = recording.write(kernels, spec("PySpark (Livy)", jar("v1"), Map.of()), false);
        List<String> argv = new ArrayList<>();
        kernelJson(dir).getAsJsonArray("argv").forEach(a -> argv.add(a.getAsString()));
        int flag = argv.indexOf("-XX:SharedArchiveFile=" + dir.resolve("livy-kernel.jsa").toAbsolutePath());
        assertTrue(flag > 0 && flag < argv.indexOf("-jar"), argv.toString());
    }

    @Test
    void withoutAnArchiveTheKernelStartsWithoutOne() throws IOException {
        Path dir = new KernelspecWriter((java, jar, archive) -> false)
                .write(kernels, spec("PySpark (Livy)", jar("v1"), Map.of()), false);
        assertFalse(kernelJson(dir).getAsJsonArray("argv").toString().contains("SharedArchiveFile"));
        assertFalse(Files.exists(dir.resolve("livy-kernel.jsa")));
    }

    private static JsonObject kernelJson(Path dir) throws IOException {
        return JsonParser.parseString(Files.readString(dir.resolve("kernel.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    private static int indexOf(JsonArray argv, String value) {
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).getAsString().equals(value)) {
                return i;
            }
        }
        throw new AssertionError(value + " not in " + argv);
    }

    private static void assertImage(Path png, int size) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not a readable image");
        assertEquals(size, image.getWidth());
        assertEquals(size, image.getHeight());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'},
                java.util.Arrays.copyOf(Files.readAllBytes(png), 4), png + " is not a PNG");
    }
}
