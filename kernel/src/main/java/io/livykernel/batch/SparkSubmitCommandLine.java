package io.livykernel.batch;

import io.livykernel.backend.livy.rest.CreateBatchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A batch request as spark-submit options: the same request the Livy route sends (platform defaults,
 * %%configure, command line, conda archive), so both routes run the same job. Livy itself turns a batch
 * into these options; here they are given to Spark's launcher, or printed for {@code --dry-run}.
 *
 * @param options  spark-submit options in a fixed order, each with its value
 * @param resource the application: a .py file or a jar
 * @param appArgs  the application's own arguments
 */
public record SparkSubmitCommandLine(List<Option> options, String resource, List<String> appArgs) {
    /** Characters that need no shell quoting. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./\\[\\]-]+");

    /** One spark-submit option, e.g. {@code --master yarn}. */
    public record Option(String name, String value) {
    }

    public SparkSubmitCommandLine {
        options = List.copyOf(options);
        appArgs = List.copyOf(appArgs);
    }

    public static SparkSubmitCommandLine of(CreateBatchRequest r, String master, String deployMode) {
        List<Option> o = new ArrayList<>();
        add(o, "--master", master);
        add(o, "--deploy-mode", deployMode);
        add(o, "--class", r.className());
        add(o, "--name", r.name());
        add(o, "--queue", r.queue());
        add(o, "--proxy-user", r.proxyUser());
        add(o, "--driver-memory", r.driverMemory());
        add(o, "--driver-cores", r.driverCores() == null ? null : r.driverCores().toString());
        add(o, "--executor-memory", r.executorMemory());
        add(o, "--executor-cores", r.executorCores() == null ? null : r.executorCores().toString());
        add(o, "--num-executors", r.numExecutors() == null ? null : r.numExecutors().toString());
        addList(o, "--jars", r.jars());
        addList(o, "--py-files", r.pyFiles());
        addList(o, "--files", r.files());
        addList(o, "--archives", r.archives());
        Map<String, String> conf = r.conf() == null ? Map.of() : new TreeMap<>(r.conf());
        conf.forEach((k, v) -> o.add(new Option("--conf", k + "=" + v)));
        return new SparkSubmitCommandLine(o, r.file(), r.args() == null ? List.of() : r.args());
    }

    /** The first value of an option, or null. */
    public String value(String name) {
        return options.stream().filter(o -> o.name().equals(name)).map(Option::value).findFirst().orElse(null);
    }

    /** The words after {@code spark-submit}: options, the application, its arguments. */
    public List<String> words() {
        List<String> words = new ArrayList<>();
        options.forEach(o -> {
            words.add(o.name());
            words.add(o.value());
        });
        words.add(resource);
        words.addAll(appArgs);
        return words;
    }

    /** The command as a POSIX shell line a user can paste. */
    public String shellLine(String sparkSubmit) {
        List<String> quoted = new ArrayList<>();
        quoted.add(shellQuote(sparkSubmit));
        words().forEach(w -> quoted.add(shellQuote(w)));
        return String.join(" ", quoted);
    }

    static String shellQuote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static void add(List<Option> options, String name, String value) {
        if (value != null) {
            options.add(new Option(name, value));
        }
    }

    private static void addList(List<Option> options, String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            options.add(new Option(name, String.join(",", values)));
        }
    }
}
