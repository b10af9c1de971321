package io.livykernel.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which lines of a batch log have been printed. Livy's batch log is not append-only: it is
 * {@code "stdout: ", stdout..., "\nstderr: ", stderr...} (plus {@code "\nYARN Diagnostics: ", ...} on YARN),
 * so a new stdout line pushes the later sections down. The cursor therefore reads from the first unseen
 * stdout line and counts the later (short) sections itself; every line is printed once, in section order.
 * A log without the "stdout: " header is read as plain appended lines.
 */
public final class BatchLogCursor {
    static final String STDOUT = "stdout: ";
    private static final List<String> LATER_SECTIONS = List.of("\nstderr: ", "\nYARN Diagnostics: ",
            "\nKubernetes Diagnostics: ");

    /** Null until the first non-empty read tells the log's format. */
    private Boolean sectioned;
    private int firstSectionSeen;
    private final Map<String, Integer> laterSeen = new HashMap<>();

    /** The {@code from} of the next GET .../log. */
    public int nextFrom() {
        return sectioned == null ? 0 : sectioned ? 1 + firstSectionSeen : firstSectionSeen;
    }

    /** Takes the lines read from {@link #nextFrom()} to the end of the log; returns the ones not yet printed. */
    public List<String> advance(List<String> lines) {
        List<String> fresh = new ArrayList<>();
        if (lines.isEmpty()) {
            return fresh;
        }
        int start = 0;
        if (sectioned == null) {
            sectioned = STDOUT.equals(lines.get(0));
            start = sectioned ? 1 : 0;
        }
        String section = null;   // null: the first (stdout or plain) section
        int index = 0;
        for (String line : lines.subList(start, lines.size())) {
            if (sectioned && LATER_SECTIONS.contains(line)) {
                section = line;
                index = 0;
            } else if (section == null) {
                fresh.add(line);
                firstSectionSeen++;
            } else if (++index > laterSeen.getOrDefault(section, 0)) {
                fresh.add(line);
                laterSeen.put(section, index);
            }
        }
        return fresh;
    }
}
