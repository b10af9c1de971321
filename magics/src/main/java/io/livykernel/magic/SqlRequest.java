package io.livykernel.magic;

import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;

/**
 * A %%sql cell's flags, checked, with the configuration's defaults filled in.
 *
 * @param maxRows  most rows to fetch; negative means all
 * @param fraction the sample fraction, used only when {@code method} is "sample"
 * @param output   the local variable for -o, or null
 * @param plot     the chart to draw, or null
 */
record SqlRequest(String query, String method, double fraction, int maxRows, String output, boolean quiet,
                  SqlPlot plot) {
    static final String SETTINGS = "sql";
    static final int DEFAULT_MAX_ROWS = 2500;
    static final String DEFAULT_METHOD = "take";
    static final double DEFAULT_FRACTION = 0.1;

    static SqlRequest from(MagicCommand command, CommandLine flags, String body, KernelContext context)
            throws UserFacingException {
        if (!flags.getArgList().isEmpty()) {
            throw TransferCode.usageError(command, "unexpected '" + String.join(" ", flags.getArgList())
                    + "': the query goes in the cell body, below the %%sql line");
        }
        String query = body.strip();
        if (query.isEmpty()) {
            throw TransferCode.usageError(command, "%%sql needs a query in the cell below its first line");
        }
        String method = flags.hasOption("m") ? flags.getOptionValue("m")
                : TransferCode.stringSetting(context, SETTINGS, "sampleMethod", DEFAULT_METHOD);
        method = method.toLowerCase(Locale.ROOT);
        if (!method.equals("take") && !method.equals("sample")) {
            throw flags.hasOption("m") ? TransferCode.usageError(command, "-m must be take or sample, not '" + method + "'")
                    : new UserFacingException("ConfigurationError", "magics.sql.sampleMethod in the configuration must"
                    + " be take or sample, not '" + method + "'. Fix it and restart the kernel, or give -m in the cell.");
        }
        if (flags.hasOption("r") && method.equals("take")) {
            throw TransferCode.usageError(command, "-r sets the fraction of -m sample; add -m sample");
        }
        double fraction = flags.hasOption("r") ? number(command, "-r", flags.getOptionValue("r"))
                : TransferCode.numberSetting(context, SETTINGS, "sampleFraction", DEFAULT_FRACTION);
        if (!(fraction > 0 && fraction <= 1)) {
            throw flags.hasOption("r") ? TransferCode.usageError(command, "-r must be a fraction in (0, 1], e.g. 0.1"
                    + " for 10%, not " + flags.getOptionValue("r"))
                    : new UserFacingException("ConfigurationError", "magics.sql.sampleFraction in the configuration"
                    + " must be in (0, 1], not " + fraction + ". Fix it and restart the kernel, or give -r in the cell.");
        }
        int maxRows = flags.hasOption("n") ? TransferCode.rowCount(command, "-n", flags.getOptionValue("n"))
                : TransferCode.intSetting(context, SETTINGS, "maxRows", DEFAULT_MAX_ROWS);
        String output = flags.getOptionValue("o");
        if (output != null) {
            TransferCode.checkIdentifier(command, "-o", output);
        }
        boolean quiet = flags.hasOption("q");
        SqlPlot plot = SqlPlot.from(command, flags);
        if (plot != null && quiet) {
            throw TransferCode.usageError(command, "-q shows nothing, so it cannot go with --plot");
        }
        return new SqlRequest(query, method, fraction, maxRows, output, quiet, plot);
    }

    boolean sampled() {
        return method.equals("sample");
    }

    boolean unlimited() {
        return maxRows < 0;
    }

    private static double number(MagicCommand command, String flag, String text) throws UserFacingException {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw TransferCode.usageError(command, flag + " needs a number, not '" + text + "'");
        }
    }
}
