package io.livykernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the magic a cell starts with and splits its arguments like a shell does (quotes, backslashes). */
public final class MagicParser {
    private MagicParser() {
    }

    /** The magic on the cell's first non-blank line, or empty when the cell is ordinary code. */
    public static Optional<ParsedMagic> parse(String code) {
        int start = 0;
        while (true) {
            int nl = code.indexOf('\n', start);
            String line = nl < 0 ? code.substring(start) : code.substring(start, nl);
            if (!line.isBlank() || nl < 0) {
                break;
            }
            start = nl + 1;
        }
        int nl = code.indexOf('\n', start);
        String firstLine = (nl < 0 ? code.substring(start) : code.substring(start, nl)).strip();
        if (!firstLine.startsWith("%")) {
            return Optional.empty();
        }
        boolean cellMagic = firstLine.startsWith("%%");
        String rest = firstLine.substring(cellMagic ? 2 : 1);
        int nameEnd = 0;
        while (nameEnd < rest.length() && isNameChar(rest.charAt(nameEnd), nameEnd == 0)) {
            nameEnd++;
        }
        String name = rest.substring(0, nameEnd);
        String body = nl < 0 ? "" : code.substring(nl + 1);
        List<String> arguments;
        try {
            arguments = split(rest.substring(nameEnd));
        } catch (IllegalArgumentException e) {
            arguments = List.of("\u0000" + e.getMessage());
        }
        return Optional.of(new ParsedMagic(name, cellMagic, arguments, body, firstLine));
    }

    private static boolean isNameChar(char c, boolean first) {
        return Character.isLetter(c) || c == '_' || (!first && (Character.isDigit(c) || c == '-'));
    }

    /** Shell-like word splitting: whitespace separates, quotes group, backslash escapes outside single quotes. */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + quote + " quote in the magic's arguments");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
