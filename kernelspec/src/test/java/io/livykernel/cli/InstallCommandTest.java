package io.livykernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.Test;

/** Where install puts the kernelspec: Jupyter's own rules (jupyter_core.paths.jupyter_data_dir). */
class InstallCommandTest {
    private static final String HOME = "/home/ada";

    @Test
    void jupyterDataDirVariableWinsEverywhere() {
        Map<String, String> env = Map.of("JUPYTER_DATA_DIR", "/data/jupyter", "XDG_DATA_HOME", "/xdg");

        assertEquals(Path.of("/data/jupyter"), InstallCommand.userDataDir(env, HOME, "Linux"));
        assertEquals(Path.of("/data/jupyter"), InstallCommand.userDataDir(env, HOME, "Mac OS X"));
    }

    @Test
    void linuxUsesXdgDataHome() {
        assertEquals(Path.of("/xdg/jupyter"), InstallCommand.userDataDir(Map.of("XDG_DATA_HOME", "/xdg"), HOME, "Linux"));
    }

    @Test
    void linuxDefaultsToLocalShare() {
        assertEquals(Path.of(HOME, ".local/share/jupyter"), InstallCommand.userDataDir(Map.of(), HOME, "Linux"));
        assertEquals(Path.of(HOME, ".local/share/jupyter"),
                InstallCommand.userDataDir(Map.of("XDG_DATA_HOME", " ", "JUPYTER_DATA_DIR", ""), HOME, "Linux"));
    }

    @Test
    void macOsUsesLibraryJupyterAndIgnoresXdg() {
        assertEquals(Path.of(HOME, "Library/Jupyter"),
                InstallCommand.userDataDir(Map.of("XDG_DATA_HOME", "/xdg"), HOME, "Mac OS X"));
    }

    @Test
    void prefixInstallsUnderPrefixShareJupyter() throws Exception {
        CommandLine line = new DefaultParser().parse(new InstallCommand().options(), new String[] {"--prefix", "/opt/env"});

        assertEquals(Path.of("/opt/env/share/jupyter"), InstallCommand.dataDir(line));
    }
}
