package io.livykernel.execution;

import io.livykernel.api.Completeness;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Judges whether Python code is ready to run, for is_complete_request (jupyter console), without a
 * Python interpreter at hand: it follows strings, comments, brackets and line continuations, and treats
 * an open block (a line ending in ':' or an indented last line) as waiting for more, as IPython does.
 * It cannot see every syntax error; what it calls invalid is certainly invalid.
 */
public final class PythonCompleteness {
    private static final int INDENT = 4;

    private PythonCompleteness() {
    }

    public static Completeness judge(String code) {
        if (code.isBlank()) {
            return Completeness.complete();
        }
        // The last line is what a console continues; a trailing newline alone does not end it.
        int lastLineStart = (code.endsWith("\n") ? code.substring(0, code.length() - 1) : code).lastIndexOf('\n') + 1;
        Deque<Character> brackets = new ArrayDeque<>();
        int depthAtLastLineStart = 0;
        int lastLineComment = -1;
        String openString = null;
        int i = 0;
        int n = code.length();
        while (i < n) {
            if (i == lastLineStart) {
                depthAtLastLineStart = brackets.size();
            }
            char c = code.charAt(i);
            if (openString != null) {
                if (c == '\\') {
                    i += 2;
                    continue;
                }
                if (code.startsWith(openString, i)) {
                    i += openString.length();
                    openString = null;
                    continue;
                }
                if (c == '\n' && openString.length() == 1) {
                    return Completeness.invalid();
                }
                i++;
                continue;
            }
            switch (c) {
                case '#' -> {
                    if (i >= lastLineStart) {
                        lastLineComment = i;
                    }
                    while (i < n && code.charAt(i) != '\n') {
                        i++;
                    }
                    continue;
                }
                case '\'', '"' -> {
                    openString = code.startsWith(String.valueOf(c).repeat(3), i) ? String.valueOf(c).repeat(3)
                            : String.valueOf(c);
                    i += openString.length();
                    continue;
                }
                case '(', '[', '{' -> brackets.push(c);
                case ')', ']', '}' -> {
                    if (brackets.isEmpty() || brackets.pop() != opening(c)) {
                        return Completeness.invalid();
                    }
                }
                default -> {
                    // other characters do not change the structure
                }
            }
            i++;
        }
        String lastLine = code.substring(lastLineStart, code.endsWith("\n") && lastLineStart < n ? n - 1 : n);
        String indent = leadingWhitespace(lastLine);
        if (openString != null) {
            return openString.length() == 3 ? Completeness.incomplete("") : Completeness.invalid();
        }
        if (!brackets.isEmpty()) {
            return Completeness.incomplete(indent);
        }
        String beforeComment = lastLineComment < 0 ? lastLine : code.substring(lastLineStart, lastLineComment);
        String trimmed = beforeComment.stripTrailing();
        if (trimmed.endsWith("\\")) {
            return Completeness.incomplete(indent);
        }
        if (trimmed.endsWith(":")) {
            return Completeness.incomplete(indent + " ".repeat(INDENT));
        }
        // An indented last line is a block body (more may follow) unless it only continues brackets.
        if (!indent.isEmpty() && !lastLine.isBlank() && lastLineStart > 0 && depthAtLastLineStart == 0) {
            return Completeness.incomplete(indent);
        }
        return Completeness.complete();
    }

    private static char opening(char closing) {
        return closing == ')' ? '(' : closing == ']' ? '[' : '{';
    }

    private static String leadingWhitespace(String line) {
        int k = 0;
        while (k < line.length() && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) {
            k++;
        }
        return line.substring(0, k);
    }

}
