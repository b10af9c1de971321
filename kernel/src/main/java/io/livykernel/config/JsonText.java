package io.livykernel.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text that must be one JSON object (the configuration file, a %%configure body), parsed with errors in
 * the user's words: where (line and column) and what was expected, without the parser's own advice and
 * without quoting the text (it may hold a password).
 */
public final class JsonText {
    private static final Pattern WHERE = Pattern.compile("line (\\d+) column (\\d+)");

    private JsonText() {
    }

    /** The problem with a JSON text; its message completes "The ... body " or "The file X ". */
    public static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code text} as one JSON object. {@code strict} refuses what JSON does not allow (single quotes,
     * comments, unquoted keys); otherwise they are tolerated, as a hand-written file may have them.
     */
    public static JsonObject parseObject(String text, boolean strict) throws SyntaxError {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(strict ? Strictness.STRICT : Strictness.LENIENT);
        JsonElement parsed;
        try {
            parsed = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new SyntaxError("is not valid JSON " + at(reader.toString())
                        + ": there is more text after the closing }");
            }
        } catch (JsonParseException | IllegalStateException | IOException e) {
            String gson = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : String.valueOf(e.getMessage());
            throw new SyntaxError("is not valid JSON " + at(gson) + ": " + what(gson));
        }
        if (parsed == null || !parsed.isJsonObject()) {
            throw new SyntaxError("must be a JSON object ({\"key\": value, ...}), not "
                    + (parsed == null || parsed.isJsonNull() ? "null" : parsed.isJsonArray() ? "a list" : "a single value"));
        }
        return parsed.getAsJsonObject();
    }

    private static String at(String gsonMessage) {
        Matcher m = WHERE.matcher(gsonMessage);
        return m.find() ? "at line " + m.group(1) + " column " + m.group(2) : "at the end";
    }

    /** Gson's diagnosis, said as what the text needs there. */
    private static String what(String gson) {
        if (gson.startsWith("Unterminated object")) {
            return "a comma or a closing } is missing before this point";
        }
        if (gson.startsWith("Unterminated array")) {
            return "a comma or a closing ] is missing before this point";
        }
        if (gson.startsWith("Unterminated string")) {
            return "a string is not closed with \"";
        }
        if (gson.startsWith("Expected name")) {
            return "a key in double quotes was expected (is there a comma too many?)";
        }
        if (gson.startsWith("Expected ':'")) {
            return "a colon was expected after the key";
        }
        if (gson.startsWith("Expected value")) {
            return "a value was expected (a string in double quotes, a number, true, false, null, {...} or [...])";
        }
        if (gson.contains("End of input")) {
            return "the text ends before the JSON is complete";
        }
        if (gson.contains("setStrictness") || gson.contains("malformed JSON")) {
            return "JSON wants double quotes around keys and strings, and no comments or trailing commas";
        }
        return "this is not JSON";
    }
}
