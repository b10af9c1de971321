package io.livykernel.batch;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.backend.livy.rest.CreateBatchRequest;
import io.livykernel.config.CondaEnvironment;
import io.livykernel.config.JsonMerge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds POST /batches the way sessions are built: the platform's defaults (livy.session.defaults), then
 * the notebook's %%configure, then the command line, each merged over the previous (deep for conf; lists
 * such as archives and pyFiles are added to, not replaced, so a conda archive and a project zip coexist).
 */
public final class BatchRequestFactory {
    /** Settings of POST /sessions that batches do not have; dropped from the defaults. */
    private static final Gson GSON = new Gson();
    private static final Set<String> SESSION_ONLY = Set.of("kind", "heartbeatTimeoutInSecond", "ttl", "idleTimeout");

    private BatchRequestFactory() {
    }

    /**
     * @param platformDefaults livy.session.defaults from the configuration (may hold condaEnv)
     * @param notebookSettings the notebook's checked %%configure settings, condaEnv already expanded; or empty
     */
    public static CreateBatchRequest build(JsonObject platformDefaults, JsonObject notebookSettings, BatchOptions options)
            throws BatchSubmissionException {
        JsonObject settings = CondaEnvironment.expandInto(platformDefaults.deepCopy());
        SESSION_ONLY.forEach(settings::remove);
        mergeAddingLists(settings, notebookSettings);
        mergeAddingLists(settings, commandLine(options));
        if (options.condaEnv() != null) {
            CondaEnvironment.of(options.condaEnv()).addTo(settings);
        }
        try {
            return toRequest(options.file(), options.className(), options.args(), settings);
        } catch (RuntimeException e) {   // a wrongly typed value in the defaults or %%configure
            throw new BatchSubmissionException("the batch settings have a value of the wrong type (" + e.getMessage()
                    + "); check livy.session.defaults in the configuration", e);
        }
    }

    /**
     * The request with a name, so that Livy's batch list shows whether a POST whose answer was lost created
     * the batch: the given name, else the entry file's base name and a random part (e.g. "main-1f0c9a2b").
     */
    public static CreateBatchRequest named(CreateBatchRequest request) {
        if (request.name() != null && !request.name().isBlank()) {
            return request;
        }
        String base = request.file().replaceFirst("^.*/", "").replaceFirst("\\.[^.]*$", "");
        String name = (base.isEmpty() ? "batch" : base) + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        return edited(request, json -> json.addProperty("name", name));
    }

    /** A changed copy of a request: {@code change} edits its JSON form (as sent to Livy). */
    public static CreateBatchRequest edited(CreateBatchRequest request, Consumer<JsonObject> change) {
        JsonObject json = JsonParser.parseString(request.toJson()).getAsJsonObject();
        change.accept(json);
        return GSON.fromJson(json, CreateBatchRequest.class);
    }

    private static JsonObject commandLine(BatchOptions o) {
        JsonObject cli = new JsonObject();
        putIfSet(cli, "driverMemory", o.driverMemory());
        putIfSet(cli, "executorMemory", o.executorMemory());
        putIfSet(cli, "queue", o.queue());
        putIfSet(cli, "name", o.name());
        putIfSet(cli, "proxyUser", o.proxyUser());
        if (o.executorCores() != null) {
            cli.addProperty("executorCores", o.executorCores());
        }
        if (o.numExecutors() != null) {
            cli.addProperty("numExecutors", o.numExecutors());
        }
        if (!o.pyFiles().isEmpty()) {
            JsonArray pyFiles = new JsonArray();
            o.pyFiles().forEach(pyFiles::add);
            cli.add("pyFiles", pyFiles);
        }
        if (!o.conf().isEmpty()) {
            JsonObject conf = new JsonObject();
            new java.util.TreeMap<>(o.conf()).forEach(conf::addProperty);
            cli.add("conf", conf);
        }
        return cli;
    }

    private static void putIfSet(JsonObject o, String key, String value) {
        if (value != null) {
            o.addProperty(key, value);
        }
    }

    /** {@link JsonMerge#deep} except that arrays are concatenated. */
    private static void mergeAddingLists(JsonObject base, JsonObject overlay) {
        JsonObject rest = overlay.deepCopy();
        for (String key : List.copyOf(rest.keySet())) {
            JsonElement existing = base.get(key);
            if (existing != null && existing.isJsonArray() && rest.get(key).isJsonArray()) {
                existing.getAsJsonArray().addAll(rest.remove(key).getAsJsonArray());
            }
        }
        JsonMerge.deep(base, rest);
    }

    private static CreateBatchRequest toRequest(String file, String className, List<String> args, JsonObject s) {
        Map<String, String> conf = new LinkedHashMap<>();
        if (s.has("conf")) {
            s.getAsJsonObject("conf").entrySet().forEach(e -> conf.put(e.getKey(), e.getValue().getAsString()));
        }
        return CreateBatchRequest.builder(file)
                .className(className)
                .args(args.isEmpty() ? null : args)
                .pyFiles(list(s, "pyFiles"))
                .jars(list(s, "jars"))
                .files(list(s, "files"))
                .archives(list(s, "archives"))
                .driverMemory(string(s, "driverMemory"))
                .driverCores(integer(s, "driverCores"))
                .executorMemory(string(s, "executorMemory"))
                .executorCores(integer(s, "executorCores"))
                .numExecutors(integer(s, "numExecutors"))
                .queue(string(s, "queue"))
                .name(string(s, "name"))
                .proxyUser(string(s, "proxyUser"))
                .conf(conf.isEmpty() ? null : conf)
                .build();
    }

    private static List<String> list(JsonObject s, String key) {
        if (!s.has(key)) {
            return null;
        }
        List<String> values = new ArrayList<>();
        s.getAsJsonArray(key).forEach(e -> values.add(e.getAsString()));
        return values;
    }

    private static String string(JsonObject s, String key) {
        return s.has(key) && !s.get(key).isJsonNull() ? s.get(key).getAsString() : null;
    }

    private static Integer integer(JsonObject s, String key) {
        return s.has(key) && !s.get(key).isJsonNull() ? s.get(key).getAsInt() : null;
    }
}
