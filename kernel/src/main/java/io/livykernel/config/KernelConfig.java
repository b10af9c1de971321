package io.livykernel.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel's configuration: a JSON file named by {@code LIVY_KERNEL_CONFIG} (default
 * {@code ~/.livy-kernel/config.json}), then environment overrides ({@code LIVY_URL} for the endpoint,
 * {@code LIVY_KERNEL_PYTHON} for the local interpreter). A sparkmagic {@code config.json} is accepted too
 * and read as our "livy" section. A missing file means defaults; a broken one is an
 * error that names the file, line and column; the whole file is checked against {@link ConfigSchema}. Sections this
 * class does not model stay available as JSON
 * through {@link #section} for the components that own them.
 */
public final class KernelConfig {
    public static final String CONFIG_ENV = "LIVY_KERNEL_CONFIG";
    public static final String URL_ENV = "LIVY_URL";
    public static final String PYTHON_ENV = "LIVY_KERNEL_PYTHON";

    private final Path source;
    private final JsonObject root;
    private final String livyUrl;
    private final LocalSettings local;

    private KernelConfig(Path source, JsonObject root, String livyUrl, LocalSettings local) {
        this.source = source;
        this.root = root;
        this.livyUrl = livyUrl;
        this.local = local;
    }

    /** Settings of the embedded local Python backend. {@code python} null means: find one. */
    public record LocalSettings(String python, Duration startupTimeout) {
    }

    public static KernelConfig defaults() {
        return new KernelConfig(null, new JsonObject(), null, new LocalSettings(null, Duration.ofSeconds(60)));
    }

    public static KernelConfig load(Map<String, String> env) throws ConfigException {
        Path file = configPath(env);
        JsonObject root = Files.isRegularFile(file) ? read(file) : new JsonObject();
        List<String> problems = ConfigSchema.problems(root);
        if (!problems.isEmpty()) {
            // the first line stands alone (batch commands print one line); the cell shows every problem
            String fix = ". Fix the file (or point " + CONFIG_ENV + " at another one) and restart the kernel.";
            throw new ConfigException(problems.size() == 1 ? file + ": " + problems.get(0) + fix
                    : file + " has " + problems.size() + " problems, the first: " + problems.get(0) + fix
                    + " All of them:\n  - " + String.join("\n  - ", problems));
        }
        if (!root.has("livy") && SparkmagicConfig.looksLikeSparkmagic(root)) {
            root.add("livy", SparkmagicConfig.toLivySection(root));
        }
        JsonObject livy = Json.object(root, "livy");
        String fromEnv = env.get(URL_ENV);
        if (fromEnv != null && !fromEnv.isBlank() && Urls.problem(fromEnv) != null) {
            throw new ConfigException("The environment variable " + URL_ENV + " is not a usable Livy URL: "
                    + Urls.problem(fromEnv) + " (it is \"" + Urls.redacted(fromEnv.strip()) + "\"). Fix it where the"
                    + " kernel gets its environment (kernel.json's env, or the shell that started Jupyter) and"
                    + " restart the kernel.");
        }
        String url = firstNonBlank(fromEnv, Json.string(livy, "url", null));
        JsonObject localSection = Json.object(root, "local");
        String python = firstNonBlank(env.get(PYTHON_ENV), Json.string(localSection, "python", null));
        int startup = Json.integer(localSection, "startupTimeoutSeconds", 60);
        return new KernelConfig(file, root, url, new LocalSettings(python, Duration.ofSeconds(startup)));
    }

    public static Path configPath(Map<String, String> env) {
        String named = env.get(CONFIG_ENV);
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        return Path.of(System.getProperty("user.home"), ".livy-kernel", "config.json");
    }

    private static JsonObject read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read the configuration file " + file + ": permission denied", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException("cannot read the configuration file " + file + ": it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + file + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        if (text.isBlank()) {
            return new JsonObject();
        }
        try {
            return JsonText.parseObject(text, false);
        } catch (JsonText.SyntaxError e) {
            throw new ConfigException("the configuration file " + file + " " + e.getMessage()
                    + ". Fix the file (or point " + CONFIG_ENV + " at another one) and restart the kernel.", e);
        }
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.trim();
        }
        return b != null && !b.isBlank() ? b.trim() : null;
    }

    /** The file the configuration came from (it may not exist), or null for built-in defaults. */
    public Path source() {
        return source;
    }

    /** The Livy endpoint; empty means the embedded local backend. */
    public Optional<String> livyUrl() {
        return Optional.ofNullable(livyUrl);
    }

    public LocalSettings local() {
        return local;
    }

    /** A top-level section of the file as JSON (a copy; empty when absent). */
    public JsonObject section(String name) {
        JsonElement e = root.get(name);
        return e != null && e.isJsonObject() ? e.getAsJsonObject().deepCopy() : new JsonObject();
    }
}
