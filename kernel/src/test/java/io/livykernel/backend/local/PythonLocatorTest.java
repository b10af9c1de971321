package io.livykernel.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.api.UserFacingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which interpreter runs the local backend's cells. The python3 first on a user's PATH may have IPython but
 * none of the packages their notebooks import, while the Jupyter installation's own Python has them: on this
 * machine a pyenv python3 with IPython alone made the quickstart notebook fail on {@code import pandas}.
 * The candidates are stand-in scripts that answer the locator's probe as such an interpreter would.
 */
class PythonLocatorTest {
    @TempDir
    Path dir;

    @Test
    void aPythonWithIPythonAloneGivesWayToOneSetUpForJupyter() throws Exception {
        String first = python("first", "echo ipython");
        String jupyters = python("jupyters", "echo 'a banner from sitecustomize'; echo ipykernel");
        assertEquals(jupyters, PythonLocator.locate(null, candidates(first, jupyters)));
    }

    @Test
    void theFirstPythonSetUpForJupyterIsChosen() throws Exception {
        String first = python("first", "echo ipykernel");
        String second = python("second", "echo ipykernel");
        assertEquals(first, PythonLocator.locate(null, candidates(first, second)));
    }

    @Test
    void aPythonWithIPythonAloneIsUsedWhenNothingBetterIsThere() throws Exception {
        String without = python("without", "exit 1");
        String ipythonOnly = python("ipython-only", "echo ipython");
        assertEquals(ipythonOnly, PythonLocator.locate(null, candidates(without, ipythonOnly)));
    }

    @Test
    void noPythonWithIPythonIsAClearErrorListingWhatWasTried() throws Exception {
        String without = python("without", "exit 1");
        String missing = dir.resolve("missing").toString();
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> PythonLocator.locate(null, candidates(without, missing)));
        assertTrue(e.getMessage().contains("(tried " + without + ", " + missing + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install python3-ipython"), e.getMessage());
    }

    @Test
    void aConfiguredPythonWithoutIPythonIsRefusedWithWhatToDo() throws Exception {
        String configured = python("configured", "echo \"ModuleNotFoundError: No module named 'IPython'\" >&2; exit 1");
        String jupyters = python("jupyters", "echo ipykernel");
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> PythonLocator.locate(configured, candidates(jupyters)));
        assertTrue(e.getMessage().contains("'" + configured + "' cannot import IPython"), e.getMessage());
        assertTrue(e.getMessage().contains("LIVY_KERNEL_PYTHON"), e.getMessage());
    }

    @Test
    void aConfiguredPythonWithIPythonIsUsedEvenIfAnotherIsSetUpForJupyter() throws Exception {
        String configured = python("configured", "echo ipython");
        String jupyters = python("jupyters", "echo ipykernel");
        assertEquals(configured, PythonLocator.locate(configured, candidates(jupyters)));
    }

    /** A stand-in interpreter: a script that answers the locator's probe as such a Python would. */
    private String python(String name, String body) throws IOException {
        Path python = dir.resolve(name);
        Files.writeString(python, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        return python.toString();
    }

    private static Set<String> candidates(String... pythons) {
        return new LinkedHashSet<>(List.of(pythons));
    }
}
