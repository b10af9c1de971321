package io.livykernel.config;

/**
 * What HTTP lets a configured header hold (RFC 9110): checked when the configuration is read, so that a
 * bad value is refused in our words and never echoed (the HTTP client's own error quotes the value).
 */
public final class HeaderText {
    private HeaderText() {
    }

    /** Why {@code name: value} cannot be sent, never quoting the value (usually a token); null when it can. */
    public static String problem(String name, String value) {
        if (!name.trim().chars().allMatch(HeaderText::isTokenChar)) {
            return "header name \"" + name.replaceAll("\\p{Cntrl}", "?") + "\" has characters a header name cannot"
                    + " hold (letters, digits and -_.!#$%&'*+^`|~ only)";
        }
        if (!value.chars().allMatch(HeaderText::isFieldValueChar)) {
            return "the value of header " + name.trim() + " holds a line break, another control character or a"
                    + " character beyond Latin-1, which HTTP does not allow (a token read from a file often ends"
                    + " with a line break); the value is not shown";
        }
        return null;
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    /** Visible characters, space, tab and obs-text (Latin-1), as java.net.http allows. */
    private static boolean isFieldValueChar(int c) {
        return c == '\t' || c >= 32 && c != 127 && c <= 255;
    }
}
