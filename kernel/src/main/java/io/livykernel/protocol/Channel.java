package io.livykernel.protocol;

/** The five Jupyter channels. */
public enum Channel {
    SHELL, CONTROL, STDIN, IOPUB, HEARTBEAT;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
