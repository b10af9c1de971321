package io.livykernel.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A packed Python environment (conda-pack or venv-pack archive) that driver and executors run instead of
 * the cluster's Python. Shared by %%configure's {@code condaEnv} and {@code submit --conda-env}, so both
 * expand to the same archive entry and PYSPARK_PYTHON settings.
 *
 * @param archive      the archive's URI, optionally with {@code #alias} (the directory YARN unpacks it to)
 * @param pythonInside the interpreter's path inside the archive, e.g. {@code bin/python}
 */
public record CondaEnvironment(String archive, String pythonInside) {
    public static final String DEFAULT_ALIAS = "condaenv";
    public static final String DEFAULT_PYTHON = "bin/python";

    public CondaEnvironment {
        if (archive == null || archive.isBlank()) {
            throw new IllegalArgumentException("the conda environment needs an archive URI");
        }
        pythonInside = pythonInside == null ? DEFAULT_PYTHON : pythonInside;
    }

    public static CondaEnvironment of(String archive) {
        return new CondaEnvironment(archive, DEFAULT_PYTHON);
    }

    /** From %%configure's value: a URI string or {"archive": URI, "python": PATH}; assumed already checked. */
    public static CondaEnvironment fromJson(JsonElement value) {
        if (value.isJsonObject()) {
            JsonObject o = value.getAsJsonObject();
            return new CondaEnvironment(o.get("archive").getAsString(),
                    o.has("python") ? o.get("python").getAsString() : null);
        }
        return of(value.getAsString());
    }

    /** The directory name YARN unpacks the archive to. */
    public String alias() {
        int hash = archive.indexOf('#');
        return hash < 0 ? DEFAULT_ALIAS : archive.substring(hash + 1);
    }

    /** The entry for Livy's {@code archives}: the URI with its alias. */
    public String archiveEntry() {
        return archive.indexOf('#') < 0 ? archive + "#" + DEFAULT_ALIAS : archive;
    }

    /** The interpreter, relative to the container's working directory. */
    public String python() {
        return "./" + alias() + "/" + pythonInside.replaceFirst("^\\./", "");
    }

    /** The interpreter for the YARN application master (the driver in cluster mode), the executors and Spark. */
    public Map<String, String> sparkConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.yarn.appMasterEnv.PYSPARK_PYTHON", python());
        conf.put("spark.executorEnv.PYSPARK_PYTHON", python());
        conf.put("spark.pyspark.python", python());
        return conf;
    }

    /**
     * Replaces a {@code condaEnv} key of Livy settings (POST /sessions or /batches) by what Spark needs: the
     * archive in {@code archives} and {@link #sparkConf()} in {@code conf}. Changes and returns {@code settings}.
     */
    public static JsonObject expandInto(JsonObject settings) {
        JsonElement value = settings.remove("condaEnv");
        if (value != null) {
            fromJson(value).addTo(settings);
        }
        return settings;
    }

    /** Adds the archive and the interpreter settings to Livy settings; changes and returns {@code settings}. */
    public JsonObject addTo(JsonObject settings) {
        JsonArray archives = settings.has("archives") ? settings.getAsJsonArray("archives") : new JsonArray();
        archives.add(archiveEntry());
        settings.add("archives", archives);
        JsonObject conf = settings.has("conf") ? settings.getAsJsonObject("conf") : new JsonObject();
        sparkConf().forEach(conf::addProperty);
        settings.add("conf", conf);
        return settings;
    }
}
