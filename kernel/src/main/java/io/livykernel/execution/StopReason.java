package io.livykernel.execution;

/** Why the kernel stopped, and so the process's exit status: 0 only when it was asked to stop. */
public enum StopReason {
    /** shutdown_request, SIGTERM or SIGHUP. */
    REQUESTED(0),
    /** The process that started the kernel (the Jupyter server) is gone. */
    PARENT_GONE(1),
    /** The JVM ran out of memory repeatedly. */
    JVM_UNUSABLE(1),
    /** The thread that reads and writes the sockets died, so no request could be answered any more. */
    TRANSPORT_FAILED(1);

    private final int exitCode;

    StopReason(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
