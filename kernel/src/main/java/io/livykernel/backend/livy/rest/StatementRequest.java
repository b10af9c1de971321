package io.livykernel.backend.livy.rest;

import java.util.Objects;

/**
 * The body of POST /sessions/{id}/statements.
 *
 * @param kind the interpreter to run the code in (pyspark, spark, sql, sparkr); null for the session's
 *             own kind, which a session of kind "shared" refuses
 */
public record StatementRequest(String code, String kind) {
    public StatementRequest {
        Objects.requireNonNull(code, "code");
    }

    /**
     * Where {@code code} holds half of a character (a lone UTF-16 surrogate, e.g. from a cut emoji), which
     * UTF-8 cannot carry: sent, it would silently become "?"; Python refuses such source too. Null when none.
     */
    public static String brokenCharacter(String code) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < code.length()
                    && Character.isLowSurrogate(code.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("line %d, column %d (U+%04X)", line, column, (int) c);
            }
            column = c == '\n' ? 1 : column + 1;
            line = c == '\n' ? line + 1 : line;
        }
        return null;
    }
}
