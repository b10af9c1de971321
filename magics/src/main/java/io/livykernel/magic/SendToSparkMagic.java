package io.livykernel.magic;

import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.messages.Json;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code %%send_to_spark}: a string or pandas DataFrame of the local Python becomes a Python string or a
 * Spark DataFrame in the remote session (sparkmagic's flags). The value is read on the local side as JSON,
 * travels base64-encoded inside one statement, and is rebuilt on the driver with an explicit schema.
 * Payloads over a limit are refused rather than split: one statement either arrives whole or not at all.
 */
final class SendToSparkMagic implements MagicCommand {
    static final String SETTINGS = "sendToSpark";
    static final int DEFAULT_MAX_ROWS = 2500;
    static final int DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
    /** Names the session itself needs; replacing them would break every later cell. */
    private static final Set<String> SESSION_NAMES = Set.of("spark", "sc", "sqlContext");

    @Override
    public String name() {
        return "send_to_spark";
    }

    @Override
    public Form form() {
        return Form.CELL;
    }

    @Override
    public String summary() {
        return "Send a string or pandas DataFrame of the local Python to the remote session, as a Python string or"
                + " a Spark DataFrame. Values over the size limit are refused, not split.";
    }

    @Override
    public String example() {
        return "%%send_to_spark -i targets -t df -n targets_sdf";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("i").longOpt("input").hasArg().argName("VAR").required()
                        .desc("the local variable to send").build())
                .addOption(Option.builder("t").longOpt("vartype").hasArg().argName("str|df")
                        .desc("str: a string (default); df: a pandas DataFrame, which becomes a Spark DataFrame"
                                + " (its index is not sent)").build())
                .addOption(Option.builder("n").longOpt("varname").hasArg().argName("NAME")
                        .desc("the name it gets in the remote session (default: the same as -i)").build())
                .addOption(Option.builder("m").longOpt("maxrows").hasArg().argName("MAXROWS")
                        .desc("most rows of a DataFrame to send (default " + DEFAULT_MAX_ROWS + "); negative: all."
                                + " Over magics.sendToSpark.maxBytes (default 10 MB) encoded, nothing is sent")
                        .build());
    }

    @Override
    public Body body() {
        return Body.NONE;
    }

    /** The flags, checked. */
    record Request(String input, String type, String remoteName, int maxRows) {
        boolean dataFrame() {
            return type.equals("df");
        }
    }

    Request request(CommandLine flags, KernelContext context) throws UserFacingException {
        if (!flags.getArgList().isEmpty()) {
            throw TransferCode.usageError(this, "unexpected '" + String.join(" ", flags.getArgList()) + "'");
        }
        String input = flags.getOptionValue("i");
        TransferCode.checkIdentifier(this, "-i", input);
        String type = flags.getOptionValue("t", "str").toLowerCase(Locale.ROOT);
        if (!type.equals("str") && !type.equals("df")) {
            throw TransferCode.usageError(this, "-t must be str (a string) or df (a pandas DataFrame), not '"
                    + flags.getOptionValue("t") + "'");
        }
        String remoteName = flags.getOptionValue("n", input);
        TransferCode.checkIdentifier(this, "-n", remoteName);
        if (SESSION_NAMES.contains(remoteName)) {
            throw TransferCode.usageError(this, "'" + remoteName + "' is the remote session's own " + remoteName
                    + "; replacing it would break later cells. Choose another name with -n");
        }
        int maxRows = flags.hasOption("m") ? TransferCode.rowCount(this, "-m", flags.getOptionValue("m"))
                : TransferCode.intSetting(context, SETTINGS, "maxRows", DEFAULT_MAX_ROWS);
        return new Request(input, type, remoteName, maxRows);
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        RemoteSessions remote = Remote.require(context, "%%send_to_spark");
        Request request = request(call.flags(), context);
        int maxBytes = TransferCode.intSetting(context, SETTINGS, "maxBytes", DEFAULT_MAX_BYTES);
        String printed = TransferCode.runLocally(context, call.cell(), localCode(request, maxBytes), out);
        JsonObject answer = TransferCode.answer(printed, "Reading '" + request.input() + "' on the local Python");
        if (answer.has("error")) {
            throw refusal(request, answer, maxBytes);
        }
        remote.evaluateQuietly(remoteCode(request, Json.string(answer, "data", "")), out);
        StringBuilder done = new StringBuilder("Successfully passed '" + request.input() + "' as '"
                + request.remoteName() + "' to Spark");
        if (request.dataFrame()) {
            int rows = Json.integer(answer, "rows", 0);
            int total = Json.integer(answer, "total", rows);
            done.append(String.format(Locale.US, " (a DataFrame of %,d row%s and %,d column%s)", rows,
                    rows == 1 ? "" : "s", Json.integer(answer, "columns", 0),
                    Json.integer(answer, "columns", 0) == 1 ? "" : "s"));
            if (rows < total) {
                done.append(String.format(Locale.US, "\nOnly the first %,d of its %,d rows were sent; -m sets the"
                        + " limit, -m -1 sends all.", rows, total));
            }
        }
        out.print(done.append('\n').toString());
        return CellResult.ok();
    }

    /**
     * Local code (python/send_read.py): reads the variable and prints it as the answer: {"data": base64 of the
     * string's UTF-8, or of {"fields": [{name, type}], "rows": [[...]]} for a DataFrame, with Spark types chosen
     * from the dtypes}, or {"error": ...} when it cannot be sent. Never names the remote session.
     */
    static String localCode(Request request, int maxBytes) {
        return PythonSnippets.code("send_read") + "try:\n    " + TransferCode.printAnswer(
                "__import__('json').dumps(_livy_kernel_read(" + TransferCode.pyString(request.input()) + ", "
                + TransferCode.pyString(request.type()) + ", " + request.maxRows() + ", " + maxBytes + "))")
                + "\nfinally:\n    del _livy_kernel_read\n";
    }

    /** Driver code (python/send_frame.py for a DataFrame) that binds the sent value to the remote name. */
    static String remoteCode(Request request, String base64) {
        String value = TransferCode.pyStringFromBase64(base64);
        if (!request.dataFrame()) {
            return request.remoteName() + " = " + value + "\n";
        }
        return PythonSnippets.code("send_frame") + "try:\n    " + request.remoteName() + " = _livy_kernel_frame(" + value + ")\n"
                + "finally:\n    del _livy_kernel_frame\n";
    }

    /** Why the local value was not sent, in the user's terms. */
    private UserFacingException refusal(Request request, JsonObject answer, int maxBytes) {
        String name = "'" + request.input() + "'";
        String type = Json.string(answer, "type", "?");
        return switch (Json.string(answer, "error", "")) {
            case "missing" -> new UserFacingException("UsageError", "Variable named " + name + " not found in the"
                    + " local Python. Define it in a %%local cell first.");
            case "none" -> new UserFacingException("UsageError", "Variable " + name + " is None in the local Python;"
                    + " there is nothing to send.");
            case "type" -> TransferCode.usageError(this, request.dataFrame()
                    ? "-t df sends a pandas DataFrame, and " + name + " is a " + type
                    + (type.equals("str") ? "; use -t str for a string" : "; make it one with pd.DataFrame(...) in %%local")
                    : "-t str sends a string, and " + name + " is a " + type
                    + (type.equals("DataFrame") ? "; use -t df for a pandas DataFrame" : "; convert it with str() in %%local"));
            case "columns" -> new UserFacingException("UsageError", "DataFrame " + name + " cannot become a Spark"
                    + " DataFrame: Spark needs at least one column and distinct column names, and its columns are "
                    + answer.get("columns") + ".");
            case "size" -> new UserFacingException("PayloadTooLarge", String.format(Locale.US, "%s is %,d bytes"
                    + " encoded, more than the %,d one statement may carry (magics.%s.maxBytes; Livy's own limit,"
                    + " livy.rsc.rpc.max.size, is 50 MB by default). Nothing was sent. Send fewer rows with -m, or"
                    + " write the data where the cluster can read it and load it with spark.read.", name,
                    answer.get("size").getAsLong(), maxBytes, SETTINGS));
            default -> new UserFacingException("TransferError", "Reading " + name + " on the local Python failed: "
                    + answer);
        };
    }
}
