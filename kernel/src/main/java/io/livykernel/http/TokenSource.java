package io.livykernel.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where a bearer token comes from ({@code livy.auth.type = "bearer"}): exactly one of an environment variable, a
 * file (re-read when it changes) or a command whose output is the token. A value type naming the source, never
 * holding the token; {@link #describe()} is for messages.
 */
public sealed interface TokenSource {
    /** The configuration key that chose this source, e.g. "livy.auth.tokenFile". */
    String key();

    /** The source for messages, e.g. "LIVY_TOKEN (livy.auth.tokenEnv)". */
    String describe();

    /** What a user does when the server refused the token even after it was read again. */
    String remedy();

    /** The environment variable {@code variable}, read when the kernel starts (it cannot change inside it). */
    record Env(String variable) implements TokenSource {
        public Env {
            Objects.requireNonNull(variable, "variable");
        }

        @Override
        public String key() {
            return "livy.auth.tokenEnv";
        }

        @Override
        public String describe() {
            return variable + " (" + key() + ")";
        }

        @Override
        public String remedy() {
            return "set " + variable + " to a fresh token and restart the kernel";
        }
    }

    /** A file holding the token (alone, surrounding whitespace ignored), re-read when its mtime or size changes. */
    record File(Path path) implements TokenSource {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String key() {
            return "livy.auth.tokenFile";
        }

        @Override
        public String describe() {
            return "the file " + path + " (" + key() + ")";
        }

        @Override
        public String remedy() {
            return "write a fresh token to " + path + " and run the cell again";
        }
    }

    /**
     * A command (argv, run without a shell) printing the token, bare or as JSON with its expiry (see
     * {@link IssuedToken}); it must finish within {@code timeout}.
     */
    record Command(List<String> argv, Duration timeout) implements TokenSource {
        public Command {
            argv = List.copyOf(argv);
            if (argv.isEmpty() || argv.get(0).isBlank()) {
                throw new IllegalArgumentException("livy.auth.tokenCommand must be a list of strings, the program"
                        + " first, e.g. [\"az\", \"account\", \"get-access-token\"]");
            }
            Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public String key() {
            return "livy.auth.tokenCommand";
        }

        @Override
        public String describe() {
            // Only the program: its arguments may hold a client secret.
            return "the command " + argv.get(0) + " (" + key() + ")";
        }

        @Override
        public String remedy() {
            return "check that " + argv.get(0) + " is logged in (run the command in a terminal) and run the cell"
                    + " again";
        }
    }
}
