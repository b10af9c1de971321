package io.livykernel.extension;

import io.livykernel.backend.Backend;
import io.livykernel.config.KernelConfig;

/** What the kernel offers to magics: its backends and configuration. */
public interface KernelContext {

    /** The backend ordinary cells run on: Livy when an endpoint is configured, else the local Python. */
    Backend primaryBackend();

    /** The embedded local Python, started on first use (the same object as primary when there is no Livy). */
    Backend localBackend();

    KernelConfig config();

    /** The Livy side, when the kernel runs on Livy; empty on the local backend. */
    default java.util.Optional<RemoteSessions> remote() {
        return java.util.Optional.empty();
    }
}
