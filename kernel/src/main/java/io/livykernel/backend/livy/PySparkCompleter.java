package io.livykernel.backend.livy;

import io.livykernel.api.Completion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python completion for PySpark cells, computed in the kernel: Livy's completion endpoint only serves
 * Scala, and a round trip to the driver would make typing wait on the cluster. It offers keywords and
 * builtins, the PySpark API by the kind of object before the dot (spark, sc, DataFrames, columns,
 * pyspark.sql.functions and its aliases, readers and writers), module names after import, and the names
 * the notebook's executed cells defined.
 */
final class PySparkCompleter {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*$");
    private static final Pattern ASSIGNED = Pattern.compile("(?m)^\\s*([A-Za-z_][\\w, ]*)=(?!=)\\s*(.*)$");
    private static final Pattern DEFINED = Pattern.compile("(?m)^\\s*(?:def|class)\\s+([A-Za-z_]\\w*)");
    private static final Pattern FOR_TARGET = Pattern.compile("(?m)^\\s*for\\s+([A-Za-z_][\\w, ]*)\\s+in\\b");
    private static final Pattern IMPORT_AS = Pattern.compile("(?m)^\\s*import\\s+([\\w.]+)(?:\\s+as\\s+(\\w+))?");
    private static final Pattern FROM_IMPORT = Pattern.compile("(?m)^\\s*from\\s+([\\w.]+)\\s+import\\s+(.+)$");
    private static final Pattern DATAFRAME_SOURCE = Pattern.compile(
            "^(spark\\.(sql|table|range|createDataFrame|read\\.\\w+)|\\w+\\.(select|filter|where|join|groupBy\\(.*\\)\\.\\w+"
                    + "|withColumn\\w*|drop\\w*|orderBy|sort|limit|distinct|union\\w*|agg|sample|repartition|coalesce"
                    + "|alias|toDF|selectExpr|fillna|dropna|cache|persist)|read\\.\\w+)\\b.*");

    private static final Map<String, List<String>> API = load();

    private final Set<String> userNames = ConcurrentHashMap.newKeySet();
    private final Map<String, String> kinds = new ConcurrentHashMap<>();

    PySparkCompleter() {
        kinds.put("spark", "spark");
        kinds.put("sc", "sc");
        kinds.put("F", "functions");
        userNames.add("spark");
        userNames.add("sc");
    }

    /** Learns the names a successfully executed cell defined. */
    void learn(String code) {
        Matcher m = ASSIGNED.matcher(code);
        while (m.find()) {
            String value = m.group(2).trim();
            for (String target : m.group(1).split(",")) {
                String name = target.trim();
                if (name.matches("[A-Za-z_]\\w*")) {
                    userNames.add(name);
                    if (DATAFRAME_SOURCE.matcher(value).matches()) {
                        kinds.put(name, "DataFrame");
                    }
                }
            }
        }
        addAll(DEFINED.matcher(code), 1);
        Matcher loop = FOR_TARGET.matcher(code);
        while (loop.find()) {
            Arrays.stream(loop.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(userNames::add);
        }
        Matcher imports = IMPORT_AS.matcher(code);
        while (imports.find()) {
            String module = imports.group(1);
            String alias = imports.group(2) != null ? imports.group(2) : module.split("\\.")[0];
            userNames.add(alias);
            if (module.equals("pyspark.sql.functions")) {
                kinds.put(alias, "functions");
            }
        }
        Matcher froms = FROM_IMPORT.matcher(code);
        while (froms.find()) {
            for (String item : froms.group(2).replaceAll("[()]", "").split(",")) {
                String[] parts = item.trim().split("\\s+as\\s+");
                String name = parts[parts.length - 1].trim();
                if (name.matches("[A-Za-z_]\\w*")) {
                    userNames.add(name);
                    if (froms.group(1).equals("pyspark.sql") && parts[0].trim().equals("functions")) {
                        kinds.put(name, "functions");
                    }
                }
            }
        }
    }

    private void addAll(Matcher m, int group) {
        while (m.find()) {
            userNames.add(m.group(group));
        }
    }

    Completion complete(String code, int cursor) {
        String before = code.substring(0, cursor);
        Matcher token = TOKEN.matcher(before);
        String typed = token.find() ? token.group() : "";
        int start = cursor - typed.length();
        String line = before.substring(before.lastIndexOf('\n') + 1);
        Set<String> matches = new TreeSet<>();
        if (line.matches("\\s*(import|from)\\s+[\\w.]*")) {
            API.get("modules").stream().filter(m -> m.startsWith(typed)).forEach(matches::add);
            return new Completion(new ArrayList<>(matches), start, cursor);
        }
        int dot = typed.lastIndexOf('.');
        if (dot >= 0) {
            String base = typed.substring(0, dot);
            String prefix = typed.substring(dot + 1);
            for (String member : members(base)) {
                if (member.startsWith(prefix)) {
                    matches.add(base + "." + member);
                }
            }
            return new Completion(new ArrayList<>(matches), start, cursor);
        }
        if (typed.isEmpty()) {
            return Completion.none(cursor);
        }
        Set<String> names = new LinkedHashSet<>(API.get("keywords"));
        names.addAll(API.get("builtins"));
        names.addAll(userNames);
        names.stream().filter(n -> n.startsWith(typed) && !n.equals(typed)).forEach(matches::add);
        return new Completion(new ArrayList<>(matches), start, cursor);
    }

    private List<String> members(String base) {
        String kind = switch (base) {
            case "spark.sparkContext" -> "sc";
            case "spark.read" -> "DataFrameReader";
            case "pyspark.sql.functions" -> "functions";
            default -> base.endsWith(".write") ? "DataFrameWriter" : kinds.get(base);
        };
        if (kind == null) {
            return List.of();
        }
        return API.getOrDefault(kind, List.of());
    }

    private static Map<String, List<String>> load() {
        Map<String, List<String>> sections = new HashMap<>();
        try (InputStream in = PySparkCompleter.class.getResourceAsStream("pyspark-api.txt")) {
            if (in == null) {
                throw new IllegalStateException("pyspark-api.txt is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String section = null;
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    section = line.substring(1, line.length() - 1);
                    sections.put(section, new ArrayList<>());
                } else if (section != null) {
                    sections.get(section).addAll(Arrays.asList(line.split("\\s+")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sections;
    }
}
