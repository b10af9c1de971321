package io.livykernel.magic;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.livykernel.api.CapturedOutput;
import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import io.livykernel.messages.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the data-moving magics (%%sql -o, %%send_to_spark) share: the one way user data is put into
 * generated Python code, the one way that code's printed answer is read back, running helper code on the
 * local Python, and their settings in the configuration's "magics" section.
 */
final class TransferCode {
    /**
     * Printed just before the JSON answer of helper code. Livy shows the output of a failed statement in the
     * next one, so the answer is whatever follows the last marker, not the whole output.
     */
    static final String MARKER = "@@livy-kernel-answer@@";

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    private static final Pattern IDENTIFIER = Pattern.compile("[\\p{L}_][\\p{L}\\p{Nd}_]*");
    private static final Set<String> PYTHON_KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert",
            "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally",
            "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
            "raise", "return", "try", "while", "with", "yield");

    private TransferCode() {
    }

    /**
     * A Python expression whose value is exactly {@code text}. The text travels as base64, whose alphabet
     * has no quote, backslash or newline, so nothing in it can end the literal or be read as an escape.
     */
    static String pyString(String text) {
        return pyStringFromBase64(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The same for text that is already base64 of UTF-8 (as helper code printed it); checked, never trusted. */
    static String pyStringFromBase64(String base64) {
        if (!BASE64.matcher(base64).matches()) {
            throw new IllegalArgumentException("not base64: " + base64.substring(0, Math.min(40, base64.length())));
        }
        return "__import__('base64').b64decode('" + base64 + "').decode('utf-8', 'surrogatepass')";
    }

    /** Python code that prints {@code jsonExpression} as the helper's answer. */
    static String printAnswer(String jsonExpression) {
        return "print('" + MARKER + "' + " + jsonExpression + ")";
    }

    /** The JSON object helper code printed after the marker; {@code what} names the step for error messages. */
    static JsonObject answer(String printed, String what) throws UserFacingException {
        int at = printed.lastIndexOf(MARKER);
        if (at < 0) {
            throw new UserFacingException("TransferError", what + " printed no answer. It printed: "
                    + abbreviate(printed.strip()));
        }
        String text = printed.substring(at + MARKER.length()).strip();
        try {
            return Json.parseObject(text);
        } catch (JsonParseException | IllegalStateException e) {
            throw new UserFacingException("TransferError", what + " printed an answer that is not complete JSON ("
                    + text.length() + " characters; was it cut by livy.output.maxBytes?)", e);
        }
    }

    /**
     * Runs helper code on the local Python as a silent cell (no Out[] entry, no history, no execute_result)
     * and returns what it printed; stderr goes to {@code out}. A Python error is thrown as the cell's error.
     */
    static String runLocally(KernelContext context, Cell cell, String code, CellOutput out)
            throws UserFacingException, InterruptedException {
        CapturedOutput capture = new CapturedOutput(out);
        Cell helper = new Cell(code, true, false, false, cell.executionCount(), Map.of());
        CellResult result = context.localBackend().execute(helper, capture);
        if (result instanceof CellResult.Error error) {
            String hint = error.ename().equals("ModuleNotFoundError")
                    ? " (install it in the local Python: the interpreter in local.python or LIVY_KERNEL_PYTHON)" : "";
            throw new UserFacingException(error.ename(), error.evalue() + hint);
        }
        return capture.stdout();
    }

    /** Checks that {@code name} can be assigned in Python; {@code flag} names the option it came from. */
    static void checkIdentifier(MagicCommand command, String flag, String name) throws UserFacingException {
        if (!IDENTIFIER.matcher(name).matches() || PYTHON_KEYWORDS.contains(name)) {
            throw usageError(command, flag + " needs a Python variable name (letters, digits and _, not starting"
                    + " with a digit, not a keyword); '" + name + "' is not one");
        }
    }

    /** A number of rows given with {@code flag}; negative numbers mean "all" to the callers. */
    static int rowCount(MagicCommand command, String flag, String text) throws UserFacingException {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw usageError(command, flag + " needs a whole number of rows, not '" + text + "'");
        }
    }

    /** A UsageError that ends with the magic's usage line, like the dispatcher's own. */
    static UserFacingException usageError(MagicCommand command, String problem) {
        return new UserFacingException("UsageError", problem + "\nusage: " + MagicHelp.usage(command)
                + "\n(%%help " + command.name() + " explains every flag)");
    }

    /** A whole-number setting of "magics": {"<magic>": {"<key>": ...}} in the configuration file. */
    static int intSetting(KernelContext context, String magic, String key, int fallback) throws UserFacingException {
        JsonElement value = setting(context, magic, key);
        if (value == null) {
            return fallback;
        }
        try {
            return value.getAsJsonPrimitive().getAsBigDecimal().intValueExact();
        } catch (RuntimeException e) {
            throw badSetting(context, magic, key, "a whole number", value);
        }
    }

    static double numberSetting(KernelContext context, String magic, String key, double fallback)
            throws UserFacingException {
        JsonElement value = setting(context, magic, key);
        if (value == null) {
            return fallback;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw badSetting(context, magic, key, "a number", value);
        }
        return value.getAsDouble();
    }

    static String stringSetting(KernelContext context, String magic, String key, String fallback)
            throws UserFacingException {
        JsonElement value = setting(context, magic, key);
        if (value == null) {
            return fallback;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw badSetting(context, magic, key, "a string", value);
        }
        return value.getAsString();
    }

    private static JsonElement setting(KernelContext context, String magic, String key) {
        JsonElement value = Json.object(context.config().section("magics"), magic).get(key);
        return value == null || value.isJsonNull() ? null : value;
    }

    private static UserFacingException badSetting(KernelContext context, String magic, String key, String wanted,
                                                  JsonElement value) {
        Object file = context.config().source() == null ? "the configuration" : context.config().source();
        return new UserFacingException("ConfigurationError", file + ": magics." + magic + "." + key + " must be "
                + wanted + ", not " + value + ". Fix it and restart the kernel, or give the flag in the cell.");
    }

    private static String abbreviate(String text) {
        return text.isEmpty() ? "(nothing)" : text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
