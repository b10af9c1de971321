package io.livykernel.magic;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Comparator;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;

/** A magic's usage line and help text, built from its own options so they never drift apart. */
public final class MagicHelp {
    private MagicHelp() {
    }

    /** e.g. {@code %%sql [-o VAR] [-q] [-n MAXROWS]}. */
    public static String usage(MagicCommand command) {
        StringBuilder usage = new StringBuilder(prefix(command)).append(command.name());
        command.options().getOptions().stream().sorted(Comparator.comparing(MagicHelp::key)).forEach(o -> {
            usage.append(' ');
            if (!o.isRequired()) {
                usage.append('[');
            }
            usage.append(o.getOpt() != null ? "-" + o.getOpt() : "--" + o.getLongOpt());
            if (o.hasArg()) {
                usage.append(' ').append(o.getArgName() == null ? "VALUE" : o.getArgName());
            }
            if (!o.isRequired()) {
                usage.append(']');
            }
        });
        if (command.body() == MagicCommand.Body.REQUIRED) {
            usage.append("\n<cell body>");
        }
        return usage.toString();
    }

    /** Usage, summary, each flag and the example, as plain text (shift-tab and %%help NAME). */
    public static String text(MagicCommand command) {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        w.println(usage(command));
        w.println();
        w.println(command.summary());
        Collection<Option> options = command.options().getOptions();
        if (!options.isEmpty()) {
            w.println();
            new HelpFormatter().printOptions(w, 100, command.options(), 2, 3);
        }
        w.println();
        w.println("Example:");
        command.example().lines().forEach(l -> w.println("    " + l));
        w.flush();
        return out.toString().stripTrailing();
    }

    static String prefix(MagicCommand command) {
        return command.form() == MagicCommand.Form.CELL ? "%%" : "%";
    }

    /** One line per flag, for the %%help table. */
    static String flags(MagicCommand command) {
        StringBuilder flags = new StringBuilder();
        command.options().getOptions().stream().sorted(Comparator.comparing(MagicHelp::key)).forEach(o -> {
            if (flags.length() > 0) {
                flags.append('\n');
            }
            flags.append(o.getOpt() != null ? "-" + o.getOpt() : "--" + o.getLongOpt());
            if (o.getOpt() != null && o.getLongOpt() != null) {
                flags.append(", --").append(o.getLongOpt());
            }
            if (o.hasArg()) {
                flags.append(' ').append(o.getArgName() == null ? "VALUE" : o.getArgName());
            }
            flags.append(": ").append(o.getDescription());
        });
        return flags.toString();
    }

    private static String key(Option o) {
        return o.getOpt() != null ? o.getOpt() : o.getLongOpt();
    }
}
