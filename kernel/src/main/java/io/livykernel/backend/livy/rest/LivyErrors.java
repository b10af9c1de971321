package io.livykernel.backend.livy.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.livykernel.http.HttpFailures;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/** Turns Livy's error answers and transport failures into {@link LivyException}s with readable messages. */
final class LivyErrors {
    private static final int SUMMARY_LIMIT = 300;
    private static final int MESSAGE_LIMIT = 20_000;
    private static final int EXCERPT_LIMIT = 120;
    private static final Pattern HTML_TITLE = Pattern.compile("(?is)<title>(.*?)</title>");
    private static final Pattern SESSION_NOT_FOUND = Pattern.compile("(?i)^session '?[^']*'? not found");
    private static final String CSRF_TEXT = "Missing Required Header for CSRF protection";
    /** Jackson's refusal of a field an older Livy lacks (recording 4: 400 with this plain-string body). */
    private static final Pattern NEWER_FIELD = Pattern.compile("^Unrecognized field \"(ttl|idleTimeout)\"");

    private LivyErrors() {
    }

    /** The exception for an HTTP error status; {@code body} is the response text (may be empty). */
    static LivyHttpException fromResponse(String endpoint, int status, String body, String location) {
        return fromResponse(endpoint, status, body, location, false);
    }

    /**
     * As {@link #fromResponse(String, int, String, String)}; {@code notFoundIsGone}: this server's 404 for
     * this endpoint means the session or batch does not exist, whatever the body says (Lighter's).
     */
    static LivyHttpException fromResponse(String endpoint, int status, String body, String location,
                                          boolean notFoundIsGone) {
        String livyMessage = livyMessage(body);
        String summary = summary(livyMessage);
        String said = endpoint + ": HTTP " + status + (summary.isEmpty() ? "" : " " + summary);
        if (status == 401 || status == 403) {
            return new LivyUnauthorizedException(endpoint, status, livyMessage, "Livy refused access (" + said
                    + "); check the user name and password or the authentication headers");
        }
        if (status == 400 && livyMessage.contains(CSRF_TEXT)) {
            return new LivyCsrfException(endpoint, livyMessage, "Livy's CSRF protection refused the request (" + said
                    + "); this client sends X-Requested-By, so a proxy in between must have removed it");
        }
        if (status == 404 && (notFoundIsGone || SESSION_NOT_FOUND.matcher(livyMessage).find())) {
            String what = endpoint.contains("/batches/") ? "batch" : "session";
            return new LivySessionNotFoundException(endpoint, livyMessage,
                    "the Livy " + what + " is gone or never existed: " + said);
        }
        if (status == 404 && livyMessage.isEmpty()) {
            return new LivyHttpException(endpoint, status, livyMessage,
                    said + " (Not Found; is the Livy URL right? Livy itself explains its 404s)");
        }
        if (status >= 300 && status < 400) {
            return new LivyHttpException(endpoint, status, livyMessage, said + " (redirect"
                    + (location == null ? "" : " to " + withoutQuery(location))
                    + "; Livy never redirects, so a login page or proxy may be in the way)");
        }
        Matcher newer = NEWER_FIELD.matcher(livyMessage);
        if (status == 400 && newer.find()) {
            return new LivyHttpException(endpoint, status, livyMessage, "Livy failed: " + said + " (this Livy is older"
                    + " than 0.9 and does not know " + newer.group(1) + ": remove it from %%configure or from"
                    + " livy.session.defaults)");
        }
        return new LivyHttpException(endpoint, status, livyMessage, "Livy failed: " + said);
    }

    /**
     * Livy's explanation in an error body: JSON {"msg": ...}, a JSON string, an HTML page's title, or the text;
     * control characters other than line breaks and tabs escaped, at most {@value #MESSAGE_LIMIT} characters.
     */
    static String livyMessage(String body) {
        String message = rawLivyMessage(body);
        return printable(message.length() <= MESSAGE_LIMIT ? message : message.substring(0, MESSAGE_LIMIT) + "...",
                true);
    }

    /**
     * The text with control characters escaped ({@code \x1b}), so that binary garbage from a server cannot
     * reach a terminal or a notebook raw; line breaks and tabs are kept when {@code keepLines}.
     */
    static String printable(String text, boolean keepLines) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean line = c == '\n' || c == '\t' || c == '\r';
            if ((c < 0x20 && !(keepLines && line)) || (c >= 0x7f && c < 0xa0)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A short, printable, one-line quotation of an answer for an error message. */
    static String excerpt(String text) {
        String start = text.length() <= EXCERPT_LIMIT ? text : text.substring(0, EXCERPT_LIMIT) + "...";
        return printable(start, false);
    }

    private static String rawLivyMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        try {
            JsonElement e = JsonParser.parseString(text);
            JsonElement msg = e.isJsonObject() ? e.getAsJsonObject().get("msg") : null;
            if (msg != null && msg.isJsonPrimitive()) {
                return msg.getAsString();
            }
            if (e.isJsonPrimitive()) {
                return e.getAsString();
            }
        } catch (JsonParseException notJson) {
            // Jetty's own errors are HTML pages; proxies send anything.
        }
        if (text.startsWith("<")) {
            Matcher title = HTML_TITLE.matcher(text);
            String page = title.find() ? title.group(1) : text.replaceAll("<[^>]*>", " ");
            return page.replaceAll("\\s+", " ").strip();
        }
        return text;
    }

    /** Why a request got no answer, in words; {@code e} came from HttpClient.send. */
    static String describe(IOException e, Duration connectTimeout, Duration requestTimeout) {
        if (HttpFailures.isPermanent(e)) {
            return HttpFailures.describe(e); // the TLS handshake, in the words every endpoint uses
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "could not connect within " + seconds(connectTimeout);
        }
        if (e instanceof HttpTimeoutException) {
            return "no response within " + seconds(requestTimeout);
        }
        if (causeOf(e, UnresolvedAddressException.class) != null) {
            return "cannot connect (the host name does not resolve)";
        }
        if (causeOf(e, ConnectException.class) != null) {
            String detail = firstMessage(e);
            return "cannot connect (" + (detail == null ? "refused or unreachable; is Livy running there?" : detail)
                    + ")";
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "connection failed (" + detail + ")";
    }

    /** True when the failure proves the request never reached the server, so repeating it is always safe. */
    static boolean neverSent(IOException e) {
        return e instanceof HttpConnectTimeoutException
                || causeOf(e, ConnectException.class) != null
                || causeOf(e, SSLHandshakeException.class) != null;
    }

    static String summary(String livyMessage) {
        String firstLine = livyMessage.strip().lines().findFirst().orElse("");
        return firstLine.length() <= SUMMARY_LIMIT ? firstLine : firstLine.substring(0, SUMMARY_LIMIT) + "...";
    }

    static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The JDK often throws a message-less exception around the one that says what happened. */
    private static String firstMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return null;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String withoutQuery(String location) {
        int cut = location.indexOf('?');
        return cut < 0 ? location : location.substring(0, cut);
    }
}
