package io.livykernel.backend.livy.rest;

import java.util.Locale;

/**
 * The state of a statement (Livy's {@code StatementState}). Failed code does not have a state of its own:
 * it ends {@link #AVAILABLE} with an output whose status is "error". Unrecognised text reads as
 * {@link #UNKNOWN}; {@link LivyStatement#rawState()} keeps the server's text.
 */
public enum StatementState {
    WAITING("waiting"),
    RUNNING("running"),
    AVAILABLE("available"),
    /** Lighter spells it "canceling" (exacaster/lighter), Apache Livy "cancelling": both are this state. */
    CANCELLING("cancelling", "canceling"),
    CANCELLED("cancelled", "canceled"),
    /** Listed in Livy's REST docs but never sent by the servers we know; kept so it counts as finished. */
    ERROR("error"),
    UNKNOWN("unknown");

    private final String wireName;
    private final String otherSpelling;

    StatementState(String wireName) {
        this(wireName, wireName);
    }

    StatementState(String wireName, String otherSpelling) {
        this.wireName = wireName;
        this.otherSpelling = otherSpelling;
    }

    /** The state for Livy's text; null or unrecognised text gives {@link #UNKNOWN}. */
    public static StatementState fromWire(String text) {
        if (text != null) {
            String wanted = text.trim().toLowerCase(Locale.ROOT);
            for (StatementState state : values()) {
                if (state.wireName.equals(wanted) || state.otherSpelling.equals(wanted)) {
                    return state;
                }
            }
        }
        return UNKNOWN;
    }

    public String wireName() {
        return wireName;
    }

    /** True once the statement has its final output (or was cancelled): polling can stop. */
    public boolean isFinished() {
        return this == AVAILABLE || this == CANCELLED || this == ERROR;
    }
}
