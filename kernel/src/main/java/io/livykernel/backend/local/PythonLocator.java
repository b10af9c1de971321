package io.livykernel.backend.local;

import io.livykernel.api.UserFacingException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds the Python interpreter for the local backend: the configured one, else the first of
 * {@code python3} on PATH and {@code /usr/bin/python3} that can import IPython (Debian installs
 * python3-ipython for /usr/bin/python3, while PATH may start with another interpreter).
 */
final class PythonLocator {
    private PythonLocator() {
    }

    static String locate(String configured) throws UserFacingException, InterruptedException {
        if (configured != null) {
            if (!hasIPython(configured)) {
                throw new UserFacingException("LocalPythonError", "The configured Python '" + configured
                        + "' cannot import IPython. Install IPython for it (pip install ipython; Debian: apt-get"
                        + " install python3-ipython) or set local.python in the configuration / LIVY_KERNEL_PYTHON"
                        + " to an interpreter that has it.");
            }
            return configured;
        }
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates()) {
            tried.add(candidate);
            if (hasIPython(candidate)) {
                return candidate;
            }
        }
        throw new UserFacingException("LocalPythonError", "No Python interpreter with IPython was found (tried "
                + String.join(", ", tried) + "). Install it (Debian: apt-get install python3-ipython) or set"
                + " local.python in the configuration file / LIVY_KERNEL_PYTHON.");
    }

    private static Set<String> candidates() {
        Set<String> found = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path python = Path.of(dir.isEmpty() ? "." : dir, "python3");
                if (Files.isExecutable(python)) {
                    found.add(python.toAbsolutePath().toString());
                    break;
                }
            }
        }
        found.add("/usr/bin/python3");
        return found;
    }

    private static boolean hasIPython(String python) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(python, "-c", "import IPython")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
