package io.livykernel.magic;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.livykernel.api.UserFacingException;
import io.livykernel.config.CondaEnvironment;
import io.livykernel.config.JsonText;
import io.livykernel.config.SessionFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of %%configure, checked before anything is sent: JSON (errors with line and column), the
 * {@link SessionFields} of Livy's POST /sessions (unknown ones with a did-you-mean, types, memory sizes
 * Spark accepts), keys the administrator locked, and our {@code condaEnv} key, expanded into the archive and the
 * PYSPARK_PYTHON settings that make driver and executors run the packed environment.
 */
public final class SessionSettings {
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|credential|key).*");

    private SessionSettings() {
    }

    /** Parses and checks the body; returns the settings to send, with condaEnv expanded. */
    public static JsonObject parse(String body, Set<String> locked) throws UserFacingException {
        JsonObject settings;
        try {
            settings = JsonText.parseObject(body, true);
        } catch (JsonText.SyntaxError e) {
            throw new UserFacingException("ConfigurationError", "The %%configure body " + e.getMessage()
                    + ". Nothing changed.\nExample:\n%%configure -f\n"
                    + "{\"executorMemory\": \"4g\", \"conf\": {\"spark.sql.shuffle.partitions\": \"64\"}}");
        }
        List<String> problems = SessionFields.problems(settings, "", locked);
        if (!problems.isEmpty()) {
            // One problem fits one line; several are listed.
            throw new UserFacingException("ConfigurationError", "%%configure was not applied; nothing changed:"
                    + (problems.size() == 1 ? " " + problems.get(0) : "\n  - " + String.join("\n  - ", problems)));
        }
        return expandConda(settings);
    }

    /** condaEnv becomes the archive and PYSPARK_PYTHON settings (shared with {@code submit --conda-env}). */
    static JsonObject expandConda(JsonObject settings) {
        return CondaEnvironment.expandInto(settings);
    }

    /** A copy fit for display: values of settings whose names suggest secrets are masked. */
    public static JsonObject redacted(JsonObject request) {
        JsonObject copy = request.deepCopy();
        if (copy.has("conf") && copy.get("conf").isJsonObject()) {
            JsonObject conf = copy.getAsJsonObject("conf");
            for (String key : new ArrayList<>(conf.keySet())) {
                if (SECRET.matcher(key).matches()) {
                    conf.add(key, new JsonPrimitive("***"));
                }
            }
        }
        return copy;
    }
}
