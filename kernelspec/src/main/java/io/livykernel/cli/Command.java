package io.livykernel.cli;

import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** A subcommand of livy-kernel.jar with its own options and help. */
interface Command {
    String name();

    /** One line for the subcommand list. */
    String summary();

    /** Usage after the subcommand name, e.g. "-f CONNECTION_FILE". */
    String usage();

    Options options();

    /** Internal commands work like the others but are left out of --help. */
    default boolean hidden() {
        return false;
    }

    /** Runs the command; the return value is the process exit code. */
    int run(CommandLine line, PrintStream out, PrintStream err) throws Exception;
}
