package io.livykernel.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.OptionGroup;
import org.apache.commons.cli.Options;

/** {@code install}: writes the kernelspec where Jupyter finds it. */
final class InstallCommand implements Command {
    static final String DEFAULT_NAME = "pyspark-livy";
    static final String DEFAULT_DISPLAY_NAME = "PySpark (Livy)";

    @Override
    public String name() {
        return "install";
    }

    @Override
    public String summary() {
        return "install the kernelspec (kernel.json, logos, this jar) for Jupyter";
    }

    @Override
    public String usage() {
        return "[--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT] [--livy-url URL]"
                + " [--python PATH] [--no-cds] [--force]";
    }

    @Override
    public Options options() {
        OptionGroup where = new OptionGroup()
                .addOption(Option.builder().longOpt("user").desc("install for the current user (default)").build())
                .addOption(Option.builder().longOpt("sys-prefix")
                        .desc("install into the active Python environment's prefix (VIRTUAL_ENV, CONDA_PREFIX or"
                                + " python3's sys.prefix)").build())
                .addOption(Option.builder().longOpt("prefix").hasArg().argName("DIR")
                        .desc("install into DIR/share/jupyter/kernels (add DIR/share/jupyter to JUPYTER_PATH)")
                        .build());
        return new Options()
                .addOptionGroup(where)
                .addOption(Option.builder().longOpt("name").hasArg().argName("NAME")
                        .desc("kernelspec name (default " + DEFAULT_NAME + ")").build())
                .addOption(Option.builder().longOpt("display-name").hasArg().argName("TEXT")
                        .desc("name shown in the notebook's kernel picker (default \"" + DEFAULT_DISPLAY_NAME
                                + "\")").build())
                .addOption(Option.builder().longOpt("livy-url").hasArg().argName("URL")
                        .desc("Livy endpoint baked into kernel.json as LIVY_URL").build())
                .addOption(Option.builder().longOpt("python").hasArg().argName("PATH")
                        .desc("Python interpreter (with IPython) for the embedded local backend").build())
                .addOption(Option.builder().longOpt("no-cds")
                        .desc("skip recording the class-data-sharing archive that speeds up kernel start").build())
                .addOption(Option.builder().longOpt("force").desc("replace an existing kernelspec of that name").build());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String name = line.getOptionValue("name", DEFAULT_NAME);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new Main.UsageException("--name may only hold letters, digits, '.', '_' and '-' (got '" + name + "')");
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (line.hasOption("livy-url")) {
            env.put("LIVY_URL", checkedUrl(line.getOptionValue("livy-url")));
        }
        if (line.hasOption("python")) {
            env.put("LIVY_KERNEL_PYTHON", line.getOptionValue("python"));
        }
        Path kernelsDir = dataDir(line).resolve("kernels");
        KernelspecWriter.Spec spec = new KernelspecWriter.Spec(name,
                line.getOptionValue("display-name", DEFAULT_DISPLAY_NAME), javaExecutable(), runningJar(), env);
        try {
            Path dir = new KernelspecWriter(line.hasOption("no-cds") ? null : ClassDataArchive::record)
                    .write(kernelsDir, spec, line.hasOption("force"));
            out.println("Installed kernelspec '" + name + "' in " + dir);
            if (line.hasOption("prefix")) {
                out.println("Jupyter finds it when JUPYTER_PATH includes " + kernelsDir.getParent());
            }
            return 0;
        } catch (FileAlreadyExistsException e) {
            err.println("livy-kernel install: " + e.getReason() + " (" + e.getFile() + ")");
            return 1;
        }
    }

    private static String checkedUrl(String url) throws Main.UsageException {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new Main.UsageException("--livy-url must be an http(s) URL such as http://livy.example.com:8998 (got '"
                + url + "')");
    }

    /** The Jupyter data directory the options name. */
    static Path dataDir(CommandLine line) throws IOException, InterruptedException {
        if (line.hasOption("prefix")) {
            return Path.of(line.getOptionValue("prefix")).toAbsolutePath().resolve("share").resolve("jupyter");
        }
        if (line.hasOption("sys-prefix")) {
            return sysPrefix().resolve("share").resolve("jupyter");
        }
        return userDataDir(System.getenv(), System.getProperty("user.home"), System.getProperty("os.name"));
    }

    /** Jupyter's user data dir: JUPYTER_DATA_DIR, else the platform's (XDG on Linux). */
    static Path userDataDir(Map<String, String> env, String home, String osName) {
        String explicit = env.get("JUPYTER_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        if (osName != null && osName.toLowerCase(Locale.ROOT).contains("mac")) {
            return Path.of(home, "Library", "Jupyter");
        }
        String xdg = env.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share")).resolve("jupyter");
    }

    private static Path sysPrefix() throws IOException, InterruptedException {
        for (String variable : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.prefix)").redirectErrorStream(true).start();
        String prefix = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || prefix.isEmpty()) {
            throw new IOException("--sys-prefix: cannot find the Python environment (no VIRTUAL_ENV or CONDA_PREFIX,"
                    + " and python3 did not report sys.prefix); use --prefix DIR instead");
        }
        return Path.of(prefix);
    }

    private static Path javaExecutable() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    private static Path runningJar() throws IOException {
        try {
            Path location = Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
                throw new IOException("install must run from the packaged jar (java -jar kernelspec/target/"
                        + KernelspecWriter.JAR_NAME + " install), not from " + location);
            }
            return location;
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the running jar: " + e.getMessage(), e);
        }
    }
}
