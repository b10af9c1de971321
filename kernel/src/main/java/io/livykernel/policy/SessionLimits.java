package io.livykernel.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.livykernel.config.ConfigException;
import io.livykernel.config.SparkSize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The platform's caps on what a session or batch may ask for ({@code livy.session.limits}): caps instead of
 * locks, so a notebook may choose anything up to them. Checked on the whole request (the platform's defaults
 * with the notebook's or job's settings over them) before anything is sent; a request over a cap is refused with
 * one line per cap naming the setting, the value asked for and the cap.
 *
 * <p>Dynamic allocation is the platform's policy when it is on: {@code numExecutors} is then the initial count
 * (bounded by {@code maxExecutors}), and a request that leaves {@code spark.dynamicAllocation.maxExecutors} unset
 * gets the cap, since Spark's own default is unbounded.
 */
public final class SessionLimits {
    static final String DA_ENABLED = "spark.dynamicAllocation.enabled";
    static final String DA_MAX = "spark.dynamicAllocation.maxExecutors";
    static final String DA_INITIAL = "spark.dynamicAllocation.initialExecutors";
    private static final Set<String> KEYS = Set.of("driverMemory", "executorMemory", "driverContainerMemory",
            "executorContainerMemory", "driverCores", "executorCores", "numExecutors", "maxExecutors",
            "dynamicAllocationRequired", "queues", "forbiddenConf");
    public static final SessionLimits NONE = new SessionLimits(Map.of(), Map.of(), null, false, List.of(),
            List.of());

    /** Caps on sizes, by the request field they limit (driverMemory, executorMemory, *ContainerMemory). */
    private final Map<String, SparkSize> sizes;
    /** Caps on counts: driverCores, executorCores, numExecutors. */
    private final Map<String, Integer> counts;
    private final Integer maxExecutors;
    private final boolean dynamicAllocationRequired;
    private final List<String> queues;
    private final List<String> forbiddenConf;

    private SessionLimits(Map<String, SparkSize> sizes, Map<String, Integer> counts, Integer maxExecutors,
                          boolean dynamicAllocationRequired, List<String> queues, List<String> forbiddenConf) {
        this.sizes = Map.copyOf(sizes);
        this.counts = Map.copyOf(counts);
        this.maxExecutors = maxExecutors;
        this.dynamicAllocationRequired = dynamicAllocationRequired;
        this.queues = List.copyOf(queues);
        this.forbiddenConf = List.copyOf(forbiddenConf);
    }

    /** Reads {@code livy.session.limits}; {@code where} names it in errors (e.g. the file and key path). */
    public static SessionLimits fromJson(JsonObject json, String where) throws ConfigException {
        if (json == null || json.isEmpty()) {
            return NONE;
        }
        Map<String, SparkSize> sizes = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Integer maxExecutors = null;
        boolean required = false;
        List<String> queues = List.of();
        List<String> forbidden = List.of();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            String key = e.getKey();
            JsonElement value = e.getValue();
            String path = where + "." + key;
            switch (key) {
                case "driverMemory", "executorMemory", "driverContainerMemory", "executorContainerMemory" ->
                        sizes.put(key, SparkSize.parse(string(value)).orElseThrow(() -> new ConfigException(path
                                + " must be a Spark size such as \"8g\" or \"512m\", got " + value)));
                case "driverCores", "executorCores", "numExecutors" -> counts.put(key, positive(value, path));
                case "maxExecutors" -> maxExecutors = positive(value, path);
                case "dynamicAllocationRequired" -> {
                    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
                        throw new ConfigException(path + " must be true or false, got " + value);
                    }
                    required = value.getAsBoolean();
                }
                case "queues" -> queues = strings(value, path);
                case "forbiddenConf" -> forbidden = strings(value, path);
                default -> throw new ConfigException(where + " has no key '" + key + "'; its keys are "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        return new SessionLimits(sizes, counts, maxExecutors, required, queues, forbidden);
    }

    public boolean isEmpty() {
        return this == NONE || sizes.isEmpty() && counts.isEmpty() && maxExecutors == null
                && !dynamicAllocationRequired && queues.isEmpty() && forbiddenConf.isEmpty();
    }

    /**
     * The request as the platform's policy completes it (a copy): dynamic allocation switched on where it is
     * required and not mentioned, its maximum set to the cap where the request leaves it open, and
     * {@code numExecutors} given as the initial count under dynamic allocation.
     */
    public JsonObject applyPolicy(JsonObject request) {
        JsonObject shaped = request.deepCopy();
        JsonObject conf = shaped.has("conf") && shaped.get("conf").isJsonObject() ? shaped.getAsJsonObject("conf")
                : new JsonObject();
        if (dynamicAllocationRequired && !conf.has(DA_ENABLED)) {
            conf.addProperty(DA_ENABLED, "true");
        }
        if (dynamicAllocation(shaped)) {
            if (maxExecutors != null && !conf.has(DA_MAX)) {
                conf.addProperty(DA_MAX, Integer.toString(maxExecutors));
            }
            Optional<Long> asked = count(shaped, "numExecutors", "spark.executor.instances");
            if (asked.isPresent() && !conf.has(DA_INITIAL)) {
                conf.addProperty(DA_INITIAL, Long.toString(asked.get()));
            }
        }
        if (!conf.isEmpty()) {
            shaped.add("conf", conf);
        }
        return shaped;
    }

    /** One line per cap the request is over, in the user's words; empty when it is within every cap. */
    public List<String> violations(JsonObject request) {
        List<String> problems = new ArrayList<>();
        JsonObject conf = conf(request);
        for (Map.Entry<String, SparkSize> cap : sizes.entrySet()) {
            String key = cap.getKey();
            Optional<SparkSize> asked = key.endsWith("ContainerMemory")
                    ? containerSize(request, key.startsWith("driver") ? "driver" : "executor")
                    : size(request, key, "spark." + (key.startsWith("driver") ? "driver" : "executor") + ".memory");
            if (asked.isPresent() && asked.get().compareTo(cap.getValue()) > 0) {
                problems.add(key.endsWith("ContainerMemory")
                        ? containerLine(key, asked.get(), cap.getValue())
                        : key + " " + asked.get() + " is above this platform's limit of " + cap.getValue()
                        + "; ask for at most " + cap.getValue());
            }
        }
        boolean dynamic = dynamicAllocation(request);
        for (Map.Entry<String, Integer> cap : counts.entrySet()) {
            String key = cap.getKey();
            if (key.equals("numExecutors") && dynamic) {
                continue;   // under dynamic allocation it is the initial count, bounded by maxExecutors below
            }
            String confKey = switch (key) {
                case "driverCores" -> "spark.driver.cores";
                case "executorCores" -> "spark.executor.cores";
                default -> "spark.executor.instances";
            };
            count(request, key, confKey).filter(n -> n > cap.getValue()).ifPresent(n -> problems.add(key + " " + n
                    + " is above this platform's limit of " + cap.getValue() + "; ask for at most " + cap.getValue()));
        }
        if (dynamic && maxExecutors != null) {
            count(request, null, DA_MAX).filter(n -> n > maxExecutors).ifPresent(n -> problems.add(
                    DA_MAX + " " + n + " is above this platform's limit of " + maxExecutors + "; ask for at most "
                    + maxExecutors));
            count(request, "numExecutors", "spark.executor.instances").filter(n -> n > maxExecutors)
                    .ifPresent(n -> problems.add("numExecutors " + n + " is above this platform's limit of "
                            + maxExecutors + " executors (under dynamic allocation it is the initial count); ask for"
                            + " at most " + maxExecutors));
        }
        if (dynamicAllocationRequired && !dynamic) {
            problems.add(DA_ENABLED + " false is not allowed on this platform: executors are shared through"
                    + " dynamic allocation; leave it on and set numExecutors for the initial count");
        }
        String queue = text(request, "queue", "spark.yarn.queue");
        if (!queues.isEmpty() && queue != null && !queues.contains(queue)) {
            problems.add("queue '" + queue + "' is not one this platform allows; choose one of "
                    + String.join(", ", queues));
        }
        for (String key : conf.keySet()) {
            for (String pattern : forbiddenConf) {
                if (glob(pattern).matcher(key).matches()) {
                    problems.add("conf " + key + " is set by the platform (" + pattern + " may not be set from a"
                            + " notebook or job); remove it");
                    break;
                }
            }
        }
        return problems;
    }

    /** The caps in a form for people (%%info, %%configure's help): "executorMemory <= 8g, queues: a, b". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        sizes.forEach((key, cap) -> parts.add(key + " <= " + cap));
        counts.forEach((key, cap) -> parts.add(key + " <= " + cap));
        if (maxExecutors != null) {
            parts.add("maxExecutors <= " + maxExecutors);
        }
        if (dynamicAllocationRequired) {
            parts.add("dynamic allocation on");
        }
        if (!queues.isEmpty()) {
            parts.add("queues: " + String.join(", ", queues));
        }
        if (!forbiddenConf.isEmpty()) {
            parts.add("not settable: " + String.join(", ", forbiddenConf));
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    private static String containerLine(String key, SparkSize asked, SparkSize cap) {
        return key + " " + asked + " (memory plus YARN's overhead) is above this platform's limit of " + cap
                + "; ask for less memory or a smaller memoryOverhead";
    }

    /** Memory plus overhead, as YARN sizes the container: the overhead setting, else max(384m, factor x memory). */
    private static Optional<SparkSize> containerSize(JsonObject request, String role) {
        Optional<SparkSize> memory = size(request, role + "Memory", "spark." + role + ".memory");
        if (memory.isEmpty()) {
            return Optional.empty();
        }
        JsonObject conf = conf(request);
        String overhead = conf.has("spark." + role + ".memoryOverhead")
                ? conf.get("spark." + role + ".memoryOverhead").getAsString() : null;
        if (overhead != null) {
            return SparkSize.parse(overhead).map(memory.get()::plus);
        }
        String factor = conf.has("spark." + role + ".memoryOverheadFactor")
                ? conf.get("spark." + role + ".memoryOverheadFactor").getAsString() : null;
        try {
            if (factor != null) {
                long extra = Math.max(384L << 20, Math.round(memory.get().bytes() * Double.parseDouble(factor)));
                return Optional.of(memory.get().plus(SparkSize.ofBytes(extra)));
            }
        } catch (NumberFormatException notANumber) {
            // Spark would refuse the setting itself; count YARN's default overhead meanwhile.
        }
        return Optional.of(memory.get().plus(memory.get().defaultOverhead()));
    }

    private static boolean dynamicAllocation(JsonObject request) {
        String enabled = text(request, null, DA_ENABLED);
        return enabled != null && enabled.strip().equalsIgnoreCase("true");
    }

    private static Optional<SparkSize> size(JsonObject request, String field, String confKey) {
        String text = text(request, field, confKey);
        return text == null ? Optional.empty() : SparkSize.parse(text);
    }

    private static Optional<Long> count(JsonObject request, String field, String confKey) {
        String text = text(request, field, confKey);
        try {
            return text == null ? Optional.empty() : Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException notACount) {
            return Optional.empty();   // the settings' own validation says what is wrong with it
        }
    }

    /** A field of the request, else the Spark setting it stands for in conf; null when neither is set. */
    private static String text(JsonObject request, String field, String confKey) {
        JsonElement value = field == null ? null : request.get(field);
        if (value == null || value.isJsonNull()) {
            value = conf(request).get(confKey);
        }
        return value == null || value.isJsonNull() || !value.isJsonPrimitive() ? null : value.getAsString();
    }

    private static JsonObject conf(JsonObject request) {
        JsonElement conf = request.get("conf");
        return conf != null && conf.isJsonObject() ? conf.getAsJsonObject() : new JsonObject();
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }

    private static String string(JsonElement value) {
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    private static int positive(JsonElement value, String path) throws ConfigException {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            double d = value.getAsDouble();
            if (d >= 1 && d == Math.rint(d) && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new ConfigException(path + " must be a whole number of at least 1, got " + value);
    }

    private static List<String> strings(JsonElement value, String path) throws ConfigException {
        List<String> list = new ArrayList<>();
        if (value.isJsonArray()) {
            for (JsonElement item : value.getAsJsonArray()) {
                if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                    list = null;
                    break;
                }
                list.add(item.getAsString().strip());
            }
            if (list != null) {
                return list;
            }
        }
        throw new ConfigException(path + " must be a list of strings, e.g. [\"notebooks\", \"adhoc\"], got " + value);
    }

    @Override
    public String toString() {
        return "SessionLimits[" + describe() + "]";
    }
}
