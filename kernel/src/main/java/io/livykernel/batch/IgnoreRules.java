package io.livykernel.batch;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * What a project zip leaves out: version control and caches, virtualenvs, and the simple patterns of the
 * project's top-level .gitignore (name globs such as {@code *.log}, {@code dir/} for directories only,
 * a leading {@code /} or an inner {@code /} anchoring to the project root). Negations ({@code !pattern})
 * are not supported and are ignored, so they never make the zip bigger than git would.
 */
public final class IgnoreRules {
    private static final List<String> ALWAYS_SKIPPED = List.of(".git", "__pycache__", "venv", ".venv", ".hg", ".svn");

    private record Rule(PathMatcher matcher, boolean anchored, boolean directoryOnly) {
    }

    private final List<Rule> rules;

    private IgnoreRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules of {@code projectDir}: the built-in ones plus its .gitignore, if any. */
    public static IgnoreRules forProject(Path projectDir) throws IOException {
        Path gitignore = projectDir.resolve(".gitignore");
        return Files.isRegularFile(gitignore) ? parse(Files.readAllLines(gitignore)) : parse(List.of());
    }

    static IgnoreRules parse(List<String> gitignoreLines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : gitignoreLines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            boolean directoryOnly = line.endsWith("/");
            line = line.replaceAll("/+$", "");
            boolean anchored = line.contains("/");
            line = line.replaceFirst("^/", "");
            if (line.startsWith("**/")) {   // "**/x" means x at any depth: an unanchored name pattern
                line = line.substring(3);
                anchored = line.contains("/");
            }
            if (!line.isEmpty()) {
                rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + line), anchored, directoryOnly));
            }
        }
        return new IgnoreRules(rules);
    }

    /**
     * True when {@code relative} (a path inside the project) is left out. Directories are tested before their
     * contents are visited, so a skipped directory takes everything under it along.
     */
    public boolean skips(Path relative, boolean directory, Path absolute) {
        String name = relative.getFileName().toString();
        if (directory && (ALWAYS_SKIPPED.contains(name) || Files.isRegularFile(absolute.resolve("pyvenv.cfg")))) {
            return true;
        }
        for (Rule rule : rules) {
            if (rule.directoryOnly() && !directory) {
                continue;
            }
            if (rule.matcher().matches(rule.anchored() ? relative : relative.getFileName())) {
                return true;
            }
        }
        return false;
    }
}
