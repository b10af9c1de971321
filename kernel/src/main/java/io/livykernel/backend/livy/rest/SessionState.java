package io.livykernel.backend.livy.rest;

import java.util.Locale;

/**
 * The state of a Livy session or batch (Livy's {@code SessionState}). While a session runs, Livy reports
 * the REPL's state instead (idle, busy, or error once the interpreter died). A state this client does not
 * know reads as {@link #UNKNOWN}; the value classes keep the server's text next to it for messages.
 */
public enum SessionState {
    NOT_STARTED("not_started"),
    STARTING("starting"),
    RECOVERING("recovering"),
    IDLE("idle"),
    RUNNING("running"),
    BUSY("busy"),
    SHUTTING_DOWN("shutting_down"),
    ERROR("error"),
    DEAD("dead"),
    KILLED("killed"),
    SUCCESS("success"),
    UNKNOWN("unknown");

    private final String wireName;

    SessionState(String wireName) {
        this.wireName = wireName;
    }

    /** The state for Livy's text; null or unrecognised text gives {@link #UNKNOWN}. */
    public static SessionState fromWire(String text) {
        if (text != null) {
            String wanted = text.trim().toLowerCase(Locale.ROOT);
            for (SessionState state : values()) {
                if (state.wireName.equals(wanted)) {
                    return state;
                }
            }
        }
        return UNKNOWN;
    }

    /** The text Livy uses for this state, e.g. "shutting_down". */
    public String wireName() {
        return wireName;
    }

    /** True for the states a session never leaves (Livy garbage-collects them after a while). */
    public boolean isFinished() {
        return this == ERROR || this == DEAD || this == KILLED || this == SUCCESS;
    }

    /** True when the session's interpreter waits for code: a statement posted now starts at once. */
    public boolean isReady() {
        return this == IDLE;
    }
}
