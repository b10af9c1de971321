package io.livykernel.backend.local;

import io.livykernel.api.UserFacingException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds the Python interpreter for the local backend: the configured one, else of {@code python3} on PATH and
 * {@code /usr/bin/python3} the first that has ipykernel too (an interpreter set up for Jupyter, where users
 * install what their notebooks import), else the first that can import IPython. Debian installs its Jupyter
 * packages for /usr/bin/python3, while PATH may start with another interpreter that has IPython alone.
 */
final class PythonLocator {
    /** Prints what a candidate offers: nothing and a failure without IPython, else "ipykernel" or "ipython". */
    private static final String PROBE = "import IPython, importlib.util as u;"
            + " print('ipykernel' if u.find_spec('ipykernel') else 'ipython')";

    private PythonLocator() {
    }

    static String locate(String configured) throws UserFacingException, InterruptedException {
        return locate(configured, candidates(System.getenv("PATH")));
    }

    /** The configured Python if it has IPython, else the best of the candidates, in their order. */
    static String locate(String configured, Set<String> candidates) throws UserFacingException, InterruptedException {
        if (configured != null) {
            if (probe(configured).isEmpty()) {
                throw new UserFacingException("LocalPythonError", "The configured Python '" + configured
                        + "' cannot import IPython. Install IPython for it (pip install ipython; Debian: apt-get"
                        + " install python3-ipython) or set local.python in the configuration / LIVY_KERNEL_PYTHON"
                        + " to an interpreter that has it.");
            }
            return configured;
        }
        List<String> tried = new ArrayList<>();
        String withIPythonOnly = null;
        for (String candidate : candidates) {
            tried.add(candidate);
            String offers = probe(candidate);
            if (offers.equals("ipykernel")) {
                return candidate;
            }
            if (offers.equals("ipython") && withIPythonOnly == null) {
                withIPythonOnly = candidate;
            }
        }
        if (withIPythonOnly != null) {
            return withIPythonOnly;
        }
        throw new UserFacingException("LocalPythonError", "No Python interpreter with IPython was found (tried "
                + String.join(", ", tried) + "). Install it (Debian: apt-get install python3-ipython) or set"
                + " local.python in the configuration file / LIVY_KERNEL_PYTHON.");
    }

    private static Set<String> candidates(String path) {
        Set<String> found = new LinkedHashSet<>();
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

    /** The probe's answer, or "" for an interpreter that cannot import IPython (or cannot be run at all). */
    private static String probe(String python) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(python, "-c", PROBE)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) { // its one short line fits in the pipe meanwhile
                p.destroyForcibly();
                return "";
            }
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
            // the answer is the last line: a sitecustomize may print before it
            return p.exitValue() == 0 ? out.substring(out.lastIndexOf('\n') + 1).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
