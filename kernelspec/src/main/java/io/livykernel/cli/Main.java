package io.livykernel.cli;

import io.livykernel.Version;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.ParseException;

/** {@code java -jar livy-kernel.jar COMMAND [options]}: the entry point of the distribution. */
public final class Main {
    static final int EXIT_USAGE = 2;

    private final Map<String, Command> commands = new LinkedHashMap<>();

    Main(List<Command> available) {
        available.forEach(c -> commands.put(c.name(), c));
    }

    static Main standard() {
        return new Main(List.of(new KernelCommand(), new InstallCommand(), new CdsTrainingCommand(),
                new SubmitCommand(), new BatchStatusCommand(), new BatchLogsCommand(), new BatchKillCommand(),
                new AnalyzeCommand()));
    }

    public static void main(String[] args) {
        System.exit(standard().run(args, System.out, System.err));
    }

    int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printOverview(args.length == 0 ? err : out);
            return args.length == 0 ? EXIT_USAGE : 0;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println("livy-kernel " + Version.current());
            return 0;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println("livy-kernel: unknown command '" + args[0] + "'. Commands: "
                    + String.join(", ", commands.values().stream().filter(c -> !c.hidden()).map(Command::name).toList())
                    + " (see --help).");
            return EXIT_USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        // Only options before "--" are ours; what follows belongs to the job being submitted.
        List<String> own = Arrays.asList(rest).contains("--")
                ? Arrays.asList(rest).subList(0, Arrays.asList(rest).indexOf("--")) : Arrays.asList(rest);
        if (own.contains("--help") || own.contains("-h")) {
            printCommandHelp(command, out);
            return 0;
        }
        CommandLine line;
        try {
            line = new DefaultParser().parse(command.options(), rest);
        } catch (ParseException e) {
            err.println("livy-kernel " + command.name() + ": " + e.getMessage());
            err.println("usage: livy-kernel " + command.name() + " " + command.usage()
                    + "   (livy-kernel " + command.name() + " --help for details)");
            return EXIT_USAGE;
        }
        try {
            return command.run(line, out, err);
        } catch (UsageException e) {
            err.println("livy-kernel " + command.name() + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (Exception e) {
            err.println("livy-kernel " + command.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    private void printOverview(PrintStream out) {
        out.println("livy-kernel " + Version.current() + ": a Jupyter kernel that runs PySpark on a remote Spark driver"
                + " through Apache Livy.");
        out.println();
        out.println("usage: java -jar livy-kernel.jar COMMAND [options]");
        out.println();
        out.println("Commands:");
        commands.values().stream().filter(c -> !c.hidden())
                .forEach(c -> out.printf("  %-10s %s%n", c.name(), c.summary()));
        out.println();
        out.println("Run 'java -jar livy-kernel.jar COMMAND --help' for a command's options.");
        out.println("Configuration: the JSON file named by LIVY_KERNEL_CONFIG (default ~/.livy-kernel/config.json);"
                + " LIVY_URL overrides the Livy endpoint. Without an endpoint, cells run on an embedded local Python.");
    }

    private static void printCommandHelp(Command command, PrintStream out) {
        PrintWriter writer = new PrintWriter(out, true);
        HelpFormatter help = new HelpFormatter();
        help.printHelp(writer, 100, "java -jar livy-kernel.jar " + command.name() + " " + command.usage(),
                command.summary(), command.options(), 2, 3,
                command instanceof HelpFooter footer ? footer.helpFooter() : "", false);
        writer.flush();
    }

    /** Bad arguments that Commons CLI cannot catch (e.g. two options that exclude each other). */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
