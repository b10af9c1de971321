package io.livykernel.batch;

import java.util.Locale;

/**
 * The user in front of a batch command: Ctrl-C, and the kill-or-detach question once following stops.
 * The command line gives the process's signal and console; tests give a scripted one.
 */
public interface BatchTerminal {
    /** Runs {@code action} on Ctrl-C instead of ending the process. */
    void onInterrupt(Runnable action);

    /** Asks {@code question} and returns the answer, or null when there is no terminal to ask. */
    String ask(String question);

    /** Whether an answer to "kill (k) or detach (d)? [d]" says kill; no answer detaches. */
    static boolean saysKill(String answer) {
        return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("k");
    }
}
