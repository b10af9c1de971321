package io.livykernel.cli;

import io.livykernel.execution.KernelServer;
import java.util.logging.Logger;

/**
 * SIGINT interrupts the running cell instead of killing the kernel, for frontends that interrupt with a
 * signal even though the kernelspec asks for interrupt messages (and for Ctrl-C in a terminal).
 */
final class SignalInterrupts {
    private static final Logger LOG = Logger.getLogger(SignalInterrupts.class.getName());

    private SignalInterrupts() {
    }

    @SuppressWarnings("restriction")
    static void install(KernelServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> server.interruptRunningCell());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.fine(() -> "SIGINT handler not installed: " + e.getMessage());
        }
    }
}
