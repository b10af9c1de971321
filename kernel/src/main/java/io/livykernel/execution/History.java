package io.livykernel.execution;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cells this kernel executed (those with store_history), for history_request: tail, range and
 * search with IPython's glob patterns. Kept in memory for the life of the kernel process; the session
 * number is always 1 (0 and negative numbers, IPython's "current/relative" forms, mean the same).
 */
public final class History {
    static final int SESSION = 1;
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(int line, String input, String output) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public synchronized void add(int line, String input, String output) {
        entries.add(new Entry(line, input, output));
        if (entries.size() > MAX_ENTRIES) {
            entries.subList(0, entries.size() - MAX_ENTRIES).clear();
        }
    }

    public synchronized JsonArray tail(int n, boolean withOutput) {
        int from = Math.max(0, entries.size() - Math.max(0, n));
        return toJson(entries.subList(from, entries.size()), withOutput);
    }

    /** Lines [start, stop) of a session; stop 0 or absent means to the end. */
    public synchronized JsonArray range(int session, int start, int stop, boolean withOutput) {
        if (session > 0 && session != SESSION) {
            return new JsonArray();
        }
        List<Entry> selected = entries.stream()
                .filter(e -> e.line >= start && (stop <= 0 || e.line < stop))
                .toList();
        return toJson(selected, withOutput);
    }

    /**
     * The latest {@code n} entries (all when n <= 0) matching a glob pattern; {@code unique} keeps the newest of
     * equal inputs.
     */
    public synchronized JsonArray search(String glob, int n, boolean unique, boolean withOutput) {
        Pattern pattern = globToRegex(glob == null || glob.isEmpty() ? "*" : glob);
        List<Entry> matching = new ArrayList<>();
        for (Entry e : entries) {
            if (pattern.matcher(e.input).matches()) {
                matching.add(e);
            }
        }
        if (unique) {
            Map<String, Entry> newest = new LinkedHashMap<>();
            for (Entry e : matching) {
                newest.remove(e.input);
                newest.put(e.input, e);
            }
            matching = new ArrayList<>(newest.values());
        }
        if (n > 0 && matching.size() > n) {
            matching = matching.subList(matching.size() - n, matching.size());
        }
        return toJson(matching, withOutput);
    }

    private static JsonArray toJson(List<Entry> selected, boolean withOutput) {
        JsonArray history = new JsonArray();
        for (Entry e : selected) {
            JsonArray item = new JsonArray();
            item.add(SESSION);
            item.add(e.line);
            if (withOutput) {
                JsonArray pair = new JsonArray();
                pair.add(e.input);
                if (e.output == null) {
                    pair.add(JsonNull.INSTANCE);
                } else {
                    pair.add(e.output);
                }
                item.add(pair);
            } else {
                item.add(e.input);
            }
            history.add(item);
        }
        return history;
    }

    /** IPython's glob (sqlite GLOB): * and ?, and [...] sets with ranges and ! for negation. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[' && setEnd(glob, i) > 0) {
                int end = setEnd(glob, i);
                int k = i + 1;
                regex.append('[');
                if (glob.charAt(k) == '!') {
                    regex.append('^');
                    k++;
                }
                for (int first = k; k < end; k++) {
                    char member = glob.charAt(k);
                    boolean range = member == '-' && k > first && k < end - 1;
                    regex.append(range ? "-" : "\\" + member);
                }
                regex.append(']');
                i = end;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Index of the ']' closing the set opened at {@code open}; a ']' right after '[' or '[!' is a member. */
    private static int setEnd(String glob, int open) {
        int k = open + 1;
        if (k < glob.length() && glob.charAt(k) == '!') {
            k++;
        }
        return glob.indexOf(']', k + 1) > 0 && k < glob.length() ? glob.indexOf(']', k + 1) : -1;
    }
}
