package io.livykernel.analyze;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One {@code %%configure -f} cell that applies every Spark setting a report advises, merged over the session's
 * current settings: the most severe finding's value wins where two advise the same setting; a setting that would
 * put the request over one of the platform's caps is left out with the cap's words.
 *
 * @param settings the body of the cell (Livy session fields and {@code conf})
 * @param changes  what the cell changes, and which heuristic asked for it
 * @param leftOut  advice the cell does not apply, and why
 */
public record ConfigureCell(JsonObject settings, List<Change> changes, List<String> leftOut) {

    /** One setting the cell changes: {@code from} is null when the session did not set it. */
    public record Change(String setting, String from, String to, String heuristic) {
    }

    /** Spark settings that Livy's session request carries as its own fields (Livy writes them into the conf). */
    static final Map<String, String> LIVY_FIELDS = Map.of("spark.executor.memory", "executorMemory",
            "spark.executor.cores", "executorCores", "spark.driver.memory", "driverMemory",
            "spark.driver.cores", "driverCores", "spark.executor.instances", "numExecutors");
    private static final Set<String> INT_FIELDS = Set.of("executorCores", "driverCores", "numExecutors");
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|credential|key).*");

    public ConfigureCell {
        settings = settings.deepCopy();
        changes = List.copyOf(changes);
        leftOut = List.copyOf(leftOut);
    }

    /**
     * @param current    the session's settings as {@code %%configure} takes them (fields and conf); not changed
     * @param violations the platform's caps: the lines a request would be refused with (empty when within them)
     */
    public static ConfigureCell of(Report report, JsonObject current, Function<JsonObject, List<String>> violations) {
        JsonObject body = withoutSecrets(current == null ? new JsonObject() : current);
        List<Change> changes = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        Set<String> decided = new HashSet<>();
        List<String> before = violations.apply(body);
        for (Finding f : report.findings()) { // worst first
            for (Finding.Advice a : f.advice()) {
                if (a.setting() == null || a.value() == null || !decided.add(a.setting())) {
                    continue;
                }
                String from = get(body, a.setting());
                if (a.value().equals(from)) {
                    continue;
                }
                JsonObject candidate = body.deepCopy();
                put(candidate, a.setting(), a.value());
                List<String> over = new ArrayList<>(violations.apply(candidate));
                over.removeAll(before);
                if (!over.isEmpty()) {
                    leftOut.add(a.setting() + " " + a.value() + " (" + f.heuristic() + "): " + String.join("; ", over));
                    continue;
                }
                body = candidate;
                changes.add(new Change(a.setting(), from, a.value(), f.heuristic()));
            }
        }
        return new ConfigureCell(body, changes, leftOut);
    }

    /** No cell: nothing to configure (no session). */
    public static ConfigureCell none() {
        return new ConfigureCell(new JsonObject(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The cell as the user runs it: the magic and its JSON body. */
    public String text() {
        return "%%configure -f\n" + new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(settings);
    }

    /** The cell under a report: what it is for, the cell, and the advice it leaves out; "" when it is empty. */
    public String describe() {
        if (isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("\nTo apply the advised settings, run this cell (it restarts the"
                + " session):\n\n").append(text()).append('\n');
        if (!leftOut.isEmpty()) {
            text.append("\nLeft out (over this platform's limits):\n");
            leftOut.forEach(line -> text.append("  - ").append(line).append('\n'));
        }
        return text.toString();
    }

    /** {@link #describe()} for the HTML report. */
    public String html() {
        return isEmpty() ? "" : "<pre>" + HtmlReport.esc(describe().strip()) + "</pre>";
    }

    /** Secrets are never shown; a notebook that set one adds it back to the cell. */
    private static JsonObject withoutSecrets(JsonObject current) {
        JsonObject copy = current.deepCopy();
        if (copy.has("conf") && copy.get("conf").isJsonObject()) {
            JsonObject conf = copy.getAsJsonObject("conf");
            new ArrayList<>(conf.keySet()).stream().filter(k -> SECRET.matcher(k).matches()).forEach(conf::remove);
        }
        return copy;
    }

    private static String get(JsonObject body, String setting) {
        String field = LIVY_FIELDS.get(setting);
        JsonElement e = field != null && body.has(field) ? body.get(field)
                : body.has("conf") && body.get("conf").isJsonObject() ? body.getAsJsonObject("conf").get(setting) : null;
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static void put(JsonObject body, String setting, String value) {
        String field = LIVY_FIELDS.get(setting);
        JsonObject conf = body.has("conf") && body.get("conf").isJsonObject() ? body.getAsJsonObject("conf")
                : new JsonObject();
        if (field == null) {
            conf.addProperty(setting, value);
        } else {
            conf.remove(setting); // one place for the value, Livy's field
            if (INT_FIELDS.contains(field)) {
                body.addProperty(field, Integer.parseInt(value.trim()));
            } else {
                body.addProperty(field, value);
            }
        }
        if (!conf.isEmpty()) {
            body.add("conf", conf);
        }
    }

    /** The cell for JSON consumers (analyze --configure): the body, the changes and what was left out. */
    public JsonObject toJson() {
        JsonObject out = new JsonObject();
        out.addProperty("cell", text());
        out.add("settings", settings.deepCopy());
        com.google.gson.JsonArray list = new com.google.gson.JsonArray();
        for (Change c : changes) {
            JsonObject o = new JsonObject();
            o.addProperty("setting", c.setting());
            o.addProperty("from", c.from());
            o.addProperty("to", c.to());
            o.addProperty("heuristic", c.heuristic());
            list.add(o);
        }
        out.add("changes", list);
        com.google.gson.JsonArray left = new com.google.gson.JsonArray();
        leftOut.forEach(left::add);
        out.add("leftOut", left);
        return out;
    }
}
