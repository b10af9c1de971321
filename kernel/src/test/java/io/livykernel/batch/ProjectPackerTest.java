package io.livykernel.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectPackerTest {
    @TempDir
    Path tmp;

    private Path project() throws IOException {
        Path p = tmp.resolve("proj");
        write(p.resolve("main.py"), "import pkg\n");
        write(p.resolve("pkg/__init__.py"), "X = 1\n");
        write(p.resolve("pkg/util.py"), "def f(): pass\n");
        write(p.resolve("pkg/__pycache__/util.cpython-311.pyc"), "bytecode");
        write(p.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        write(p.resolve("venv/lib/site.py"), "");
        write(p.resolve("env311/pyvenv.cfg"), "home = /usr/bin\n");
        write(p.resolve("env311/lib/x.py"), "");
        write(p.resolve(".gitignore"), "# comment\n*.log\nbuild/\n/data.csv\n!keep.log\n");
        write(p.resolve("run.log"), "log");
        write(p.resolve("pkg/deep.log"), "log");
        write(p.resolve("build/out.py"), "");
        write(p.resolve("data.csv"), "a,b");
        write(p.resolve("pkg/data.csv"), "a,b");
        write(p.resolve("pkg/build"), "a file named build is not a directory");
        return p;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void skipsVersionControlCachesVirtualenvsAndGitignoredFiles() throws IOException {
        assertEquals(List.of(".gitignore", "main.py", "pkg/__init__.py", "pkg/build", "pkg/data.csv", "pkg/util.py"),
                ProjectPacker.entries(project()));
    }

    @Test
    void sameTreeGivesSameBytesWhateverTheTimestamps() throws IOException {
        Path p = project();
        byte[] first = ProjectPacker.zip(p);
        Files.setLastModifiedTime(p.resolve("pkg/util.py"), FileTime.fromMillis(123_456_789L));
        assertArrayEquals(first, ProjectPacker.zip(p));
    }

    @Test
    void changedContentChangesTheZipAndItsName() throws IOException, BatchSubmissionException {
        Path p = project();
        Path staging = tmp.resolve("staging");
        Path first = ProjectPacker.packInto(p, staging);
        assertEquals(first, ProjectPacker.packInto(p, staging), "an unchanged project keeps its zip name");
        assertTrue(first.getFileName().toString().matches("proj-[0-9a-f]{12}\\.zip"));
        write(p.resolve("pkg/util.py"), "def f(): return 2\n");
        assertTrue(!first.equals(ProjectPacker.packInto(p, staging)));
    }

    @Test
    void missingProjectIsASubmissionError() {
        BatchSubmissionException e = assertThrows(BatchSubmissionException.class,
                () -> ProjectPacker.packInto(tmp.resolve("nope"), tmp));
        assertTrue(e.getMessage().startsWith("--project is not a directory"));
    }
}
