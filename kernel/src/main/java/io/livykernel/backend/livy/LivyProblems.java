package io.livykernel.backend.livy;

import io.livykernel.execution.UserFacingException;

/** Turns Livy client failures into messages for the notebook: what failed, where, and what to do. */
final class LivyProblems {
    private LivyProblems() {
    }

    static UserFacingException explain(String action, LivyException e) {
        if (e instanceof LivyKerberosException) {
            return new UserFacingException("LivyKerberosError", "Kerberos could not authenticate the kernel to Livy"
                    + " to " + action + ": " + e.getMessage(), e);
        }
        if (e instanceof LivyUnauthorizedException denied && denied.kerberos()) {
            return new UserFacingException("LivyAuthError", "Livy refused to " + action + ": " + e.getMessage(), e);
        }
        if (e instanceof LivyUnauthorizedException) {
            return new UserFacingException("LivyAuthError", "Livy refused to " + action + ": "
                    + e.getMessage() + "\nCheck livy.username / livy.password (or the credentials your platform"
                    + " team gave you) in the configuration file, then restart the kernel.", e);
        }
        if (e instanceof LivyCsrfException) {
            return new UserFacingException("LivyCsrfError", "Livy's CSRF protection refused to " + action
                    + ". The kernel sends X-Requested-By on every request; a proxy in between may strip it.", e);
        }
        if (e instanceof LivyConnectionException) {
            return new UserFacingException("LivyUnreachable", "Cannot reach Livy to " + action + ": "
                    + e.getMessage() + "\nCheck that the server is up and that LIVY_URL / livy.url is right; the"
                    + " kernel retried with backoff before giving up. Run the cell again when it is back.", e);
        }
        if (e instanceof LivyOutcomeUnknownException) {
            return new UserFacingException("LivyOutcomeUnknown", "Livy did not answer whether it managed to "
                    + action + ", and the kernel could not find out: " + e.getMessage()
                    + "\nNothing was sent twice. Check %%info before running the cell again.", e);
        }
        if (e instanceof LivyHttpException http) {
            return new UserFacingException("LivyError", "Livy refused to " + action + " (HTTP "
                    + http.status() + "): " + (http.livyMessage() == null ? e.getMessage() : http.livyMessage()), e);
        }
        return new UserFacingException("LivyError", "Could not " + action + ": " + e.getMessage(), e);
    }
}
