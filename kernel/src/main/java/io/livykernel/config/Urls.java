package io.livykernel.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks and prints the http(s) URLs of the configuration without ever showing credentials written into them. */
public final class Urls {
    private Urls() {
    }

    /**
     * The URL as it may be shown: everything between "//" and the last "@" is replaced, so a user name or
     * password is hidden whatever characters it holds ("@", "/", "%", line breaks).
     */
    public static String redacted(String url) {
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int slashes = url.indexOf("//");
        int from = slashes >= 0 && slashes < at ? slashes + 2 : 0;
        return url.substring(0, from) + "***@" + url.substring(at + 1);
    }

    /** Why {@code url} is not an http(s) URL Livy-style clients can use, or null when it is. */
    public static String problem(String url) {
        String text = url.strip();
        int slashes = text.indexOf("//");
        int at = text.lastIndexOf('@');
        if (slashes >= 0 && at > slashes && text.substring(slashes + 2, at).contains("@")) {
            return "an @ in the user name or password must be written %40";
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return "not a valid URL (character " + (e.getIndex() + 1) + " is not allowed there)";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "it must start with http:// or https://";
        }
        if (uri.getHost() == null) {
            return "it names no host";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "it must not have a query (?...) or fragment (#...)";
        }
        return null;
    }
}
