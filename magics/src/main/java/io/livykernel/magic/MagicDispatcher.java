package io.livykernel.magic;

import io.livykernel.api.Cell;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.Completeness;
import io.livykernel.api.Completion;
import io.livykernel.api.ErrorReporter;
import io.livykernel.api.Inspection;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.backend.Backend;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.MagicSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;

/**
 * The kernel's magic support (found through ServiceLoader): decides which cells are kernel magics, runs
 * them with their parsed flags, and answers completion, inspection and is_complete for them.
 */
public final class MagicDispatcher implements MagicSupport {
    /** Line magics that Livy's own Python REPL understands inside a PySpark cell; they pass through. */
    static final Set<String> LIVY_REPL_MAGICS = Set.of("matplot", "table", "json");

    private final MagicRegistry registry;

    public MagicDispatcher() {
        this(MagicRegistry.standard());
    }

    MagicDispatcher(MagicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean claims(String code, KernelContext context) {
        Optional<ParsedMagic> parsed = MagicParser.parse(code);
        if (parsed.isEmpty()) {
            return false;
        }
        ParsedMagic magic = parsed.get();
        if (registry.find(magic.name()).isPresent()) {
            return true;
        }
        // Not ours: IPython runs its own magics; Livy's REPL runs %matplot, %table and %json.
        Backend primary = context.primaryBackend();
        if (primary.understandsIPythonMagics()) {
            return false;
        }
        return magic.cellMagic() || !LIVY_REPL_MAGICS.contains(magic.name());
    }

    @Override
    public CellResult execute(Cell cell, CellOutput out, KernelContext context) throws InterruptedException {
        ParsedMagic magic = MagicParser.parse(cell.code()).orElseThrow();
        Optional<MagicCommand> found = registry.find(magic.name());
        if (found.isEmpty()) {
            return usageError(magic.name().isEmpty()
                    ? "'" + magic.firstLine() + "' names no magic. " + knownMagicsSentence(registry, "")
                    : "Unknown magic " + magic.written() + ". " + knownMagicsSentence(registry, magic.name()));
        }
        MagicCommand command = found.get();
        if (!magic.arguments().isEmpty() && magic.arguments().get(0).startsWith("\u0000")) {
            return usageError(command, magic.arguments().get(0).substring(1));
        }
        CommandLine flags;
        try {
            flags = new DefaultParser().parse(command.options(), magic.arguments().toArray(String[]::new));
        } catch (ParseException e) {
            return usageError(command, e.getMessage());
        }
        String body = magic.body();
        if (command.body() == MagicCommand.Body.REQUIRED && body.isBlank()) {
            return usageError(command, magic.written() + " needs code in the cell below its first line");
        }
        if (command.body() == MagicCommand.Body.NONE && !body.isBlank()) {
            return usageError(command, magic.written() + " takes no cell body; move the code below it to its own cell");
        }
        try {
            return command.run(new MagicCall(magic, flags, body, cell), out, context);
        } catch (UserFacingException e) {
            return ErrorReporter.toCellError(e);
        }
    }

    @Override
    public Completion complete(String code, int cursorPos, KernelContext context) {
        int lineStart = code.lastIndexOf('\n', cursorPos - 1) + 1;
        String beforeCursor = code.substring(lineStart, cursorPos);
        if (!code.substring(0, lineStart).isBlank() || !beforeCursor.stripLeading().startsWith("%")) {
            return null;
        }
        int tokenStart = lineStart + Math.max(beforeCursor.lastIndexOf(' '), beforeCursor.lastIndexOf('\t')) + 1;
        String token = code.substring(tokenStart, cursorPos);
        List<String> matches = new ArrayList<>();
        if (tokenStart == lineStart + (beforeCursor.length() - beforeCursor.stripLeading().length())) {
            boolean cell = token.startsWith("%%");
            String typed = token.substring(cell ? 2 : 1);
            for (MagicCommand c : registry.all()) {
                if (c.name().startsWith(typed) && (cell || c.form() == MagicCommand.Form.LINE_OR_CELL)) {
                    matches.add((cell ? "%%" : "%") + c.name());
                }
            }
            if (!cell) {
                registry.all().stream().filter(c -> c.form() == MagicCommand.Form.CELL && c.name().startsWith(typed))
                        .forEach(c -> matches.add("%%" + c.name()));
            }
        } else if (token.startsWith("-")) {
            MagicParser.parse(code.substring(lineStart)).flatMap(m -> registry.find(m.name())).ifPresent(c -> {
                for (Option o : c.options().getOptions()) {
                    if (o.getLongOpt() != null && ("--" + o.getLongOpt()).startsWith(token)) {
                        matches.add("--" + o.getLongOpt());
                    }
                    if (o.getOpt() != null && ("-" + o.getOpt()).startsWith(token) && !token.startsWith("--")) {
                        matches.add("-" + o.getOpt());
                    }
                }
            });
        } else {
            return null;
        }
        int tokenEnd = cursorPos;
        while (tokenEnd < code.length() && !Character.isWhitespace(code.charAt(tokenEnd))) {
            tokenEnd++;
        }
        return new Completion(matches, tokenStart, tokenEnd);
    }

    @Override
    public Inspection inspect(String code, int cursorPos, KernelContext context) {
        Optional<ParsedMagic> parsed = MagicParser.parse(code);
        if (parsed.isEmpty() || cursorPos > code.indexOf(parsed.get().firstLine()) + parsed.get().firstLine().length()) {
            return null;
        }
        return registry.find(parsed.get().name())
                .map(c -> {
                    String text = MagicHelp.text(c);
                    return new Inspection(MimeBundle.textAndHtml(text, "<pre>" + Html.escape(text) + "</pre>"));
                })
                .orElse(null);
    }

    @Override
    public Completeness isComplete(String code) {
        Optional<ParsedMagic> parsed = MagicParser.parse(code);
        if (parsed.isEmpty()) {
            return null;
        }
        Optional<MagicCommand> command = registry.find(parsed.get().name());
        if (command.isEmpty()) {
            return null; // not ours: the backend (IPython) or the kernel's own rules judge it
        }
        if (command.get().body() != MagicCommand.Body.REQUIRED) {
            return Completeness.complete();
        }
        // A magic with a body is finished by an empty line, as IPython's cell magics are in a console.
        boolean hasBody = !parsed.get().body().isBlank();
        return hasBody && (code.endsWith("\n\n") || code.endsWith("\n \n")) ? Completeness.complete()
                : Completeness.incomplete("");
    }

    static String knownMagicsSentence(MagicRegistry registry, String wanted) {
        List<String> close = wanted.isEmpty() ? List.of() : registry.suggestions(wanted);
        String all = registry.all().stream().map(c -> MagicHelp.prefix(c) + c.name()).collect(Collectors.joining(", "));
        return (close.isEmpty() ? "" : "Did you mean " + close.stream().map(n -> registry.find(n)
                .map(c -> MagicHelp.prefix(c) + n).orElse(n)).collect(Collectors.joining(" or ")) + "? ")
                + "Magics: " + all + " (%%help shows them all).";
    }

    private static CellResult usageError(String message) {
        return ErrorReporter.describe("UsageError", message);
    }

    private static CellResult usageError(MagicCommand command, String problem) {
        return ErrorReporter.describe("UsageError", problem + "\nusage: " + MagicHelp.usage(command)
                + "\n(%%help " + command.name() + " explains every flag)");
    }
}
