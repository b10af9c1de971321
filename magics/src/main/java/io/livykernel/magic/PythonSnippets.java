package io.livykernel.magic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python the magics send, kept as {@code .py} resources beside this class ({@code python/NAME.py}) so it can
 * be read, compiled and tested as Python. A file may open with {@code #} comment lines that describe it; they stay
 * in the file and are not sent. Templates mark what Java fills in as {@code $NAME} (capitals), a form Python
 * code itself never uses outside strings.
 */
final class PythonSnippets {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([A-Z][A-Z_]*)");
    private static final Map<String, String> LOADED = new ConcurrentHashMap<>();

    private PythonSnippets() {
    }

    /** The code of {@code python/NAME.py}, without its opening comment lines. */
    static String code(String name) {
        return LOADED.computeIfAbsent(name, PythonSnippets::load);
    }

    /**
     * The template {@code name} with each {@code $KEY} replaced by its value, in one pass (a value is never read
     * as a template). Every placeholder must be given a value and every value must have its placeholder.
     */
    static String fill(String name, Map<String, String> values) {
        String template = code(name);
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder(template.length() + 256);
        Set<String> used = new HashSet<>();
        while (matcher.find()) {
            String key = matcher.group(1);
            String value = values.get(key);
            if (value == null) {
                throw new IllegalArgumentException("python/" + name + ".py needs a value for $" + key);
            }
            used.add(key);
            matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(filled);
        if (!used.containsAll(values.keySet())) {
            Set<String> unused = new HashSet<>(values.keySet());
            unused.removeAll(used);
            throw new IllegalArgumentException("python/" + name + ".py has no placeholder for " + unused);
        }
        return filled.toString();
    }

    private static String load(String name) {
        String resource = "python/" + name + ".py";
        try (InputStream in = PythonSnippets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " beside " + PythonSnippets.class);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = 0;
            while (text.startsWith("#", start)) {
                start = text.indexOf('\n', start) + 1;
            }
            return text.substring(start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
