package io.livykernel.cli;

import io.livykernel.batch.BatchTerminal;
import java.io.Console;

/** The batch commands' terminal: SIGINT (Ctrl-C) and the process's console, if it has one. */
final class SystemTerminal implements BatchTerminal {
    /** Ctrl-C stops following instead of ending the JVM, so the user can choose to kill or detach. */
    @Override
    @SuppressWarnings("restriction")
    public void onInterrupt(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no signal support: Ctrl-C ends the process and the batch keeps running
        }
    }

    @Override
    public String ask(String question) {
        Console console = System.console();
        return console == null ? null : console.readLine("%n%s", question);
    }
}
