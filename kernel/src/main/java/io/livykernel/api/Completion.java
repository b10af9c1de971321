package io.livykernel.api;

import java.util.List;

/** Matches for the text between cursorStart and cursorEnd. */
public record Completion(List<String> matches, int cursorStart, int cursorEnd) {
    public Completion {
        matches = List.copyOf(matches);
    }

    public static Completion none(int cursor) {
        return new Completion(List.of(), cursor, cursor);
    }
}
