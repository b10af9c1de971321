package io.livykernel.magic;

import io.livykernel.api.UserFacingException;
import io.livykernel.extension.OpaqueIds;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;

/** The Livy side for magics that need it, or a clear refusal on the local backend. */
final class Remote {
    private Remote() {
    }

    static RemoteSessions require(KernelContext context, String magic) throws UserFacingException {
        return require(context, magic, "");
    }

    /** @param hint what the user can do instead on the local backend, or "" */
    static RemoteSessions require(KernelContext context, String magic, String hint) throws UserFacingException {
        return context.remote().orElseThrow(() -> new UserFacingException("NeedsLivy", magic + " works on a Livy"
                + " session, but this kernel runs on its embedded local backend (no Livy endpoint is configured)."
                + " Set LIVY_URL or livy.url in the configuration file and restart the kernel."
                + (hint.isEmpty() ? "" : " " + hint)));
    }

    static String sessionId(org.apache.commons.cli.CommandLine flags, String magic) throws UserFacingException {
        String value = flags.getOptionValue("s");
        if (value == null) {
            throw new UserFacingException("UsageError", magic + " needs a session id: -s ID (%%info lists yours).");
        }
        String id = OpaqueIds.parse(value);
        if (id == null) {
            throw new UserFacingException("UsageError", "-s takes " + OpaqueIds.SHAPE + " (got '" + value + "').");
        }
        return id;
    }
}
