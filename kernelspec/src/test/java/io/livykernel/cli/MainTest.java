package io.livykernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user types it: exit codes and what is printed. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path tmp;

    @Test
    void helpExitsZeroAndListsTheCommands() {
        assertEquals(0, run("--help"));

        assertTrue(out().contains("kernel "), out());
        assertTrue(out().contains("install "), out());
        assertEquals("", err());
    }

    @Test
    void noArgumentsIsAUsageErrorThatShowsTheOverview() {
        assertEquals(2, run());

        assertTrue(err().contains("Commands:"), err());
        assertTrue(err().contains("install"), err());
    }

    @Test
    void unknownCommandIsAUsageErrorThatListsTheCommands() {
        assertEquals(2, run("instal"));

        assertTrue(err().contains("unknown command 'instal'"), err());
        assertTrue(err().contains("kernel, install"), err());
    }

    @Test
    void commandHelpShowsItsOptions() {
        assertEquals(0, run("install", "--help"));

        assertTrue(out().contains("--livy-url"), out());
        assertTrue(out().contains("--force"), out());
    }

    @Test
    void kernelWithoutConnectionFileIsAUsageError() {
        assertEquals(2, run("kernel"));

        assertTrue(err().contains("usage: livy-kernel kernel -f CONNECTION_FILE"), err());
    }

    @Test
    void installRefusesALivyUrlThatIsNotHttp() {
        assertEquals(2, run("install", "--livy-url", "notaurl", "--prefix", tmp.toString()));

        assertTrue(err().contains("--livy-url must be an http(s) URL"), err());
        assertTrue(err().contains("'notaurl'"), err());
        assertNothingWritten();
    }

    @Test
    void installRefusesTwoDestinations() {
        assertEquals(2, run("install", "--user", "--prefix", tmp.toString()));

        assertTrue(err().contains("usage: livy-kernel install"), err());
    }

    @Test
    void installRefusesAKernelNameJupyterCannotUse() {
        assertEquals(2, run("install", "--name", "py spark", "--prefix", tmp.toString()));

        assertTrue(err().contains("--name"), err());
    }

    @Test
    void installOutsideThePackagedJarSaysToRunTheJar() {
        // Tests run from target/classes, not from livy-kernel.jar: install must refuse clearly, not copy a directory.
        assertEquals(1, run("install", "--prefix", tmp.toString()));

        assertTrue(err().contains("install must run from the packaged jar"), err());
        assertNothingWritten();
    }

    private int run(String... args) {
        return Main.standard().run(args, print(out), print(err));
    }

    private void assertNothingWritten() {
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.count(), "install wrote into " + tmp);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
