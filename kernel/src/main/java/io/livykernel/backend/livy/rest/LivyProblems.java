package io.livykernel.backend.livy.rest;

import io.livykernel.api.UserFacingException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Livy client failures into messages for the notebook: what failed, where, and what to do. */
public final class LivyProblems {
    /** Livy's refusal of a statement for its session's state (InteractiveSession: IllegalStateException, 500). */
    private static final Pattern SESSION_IN_STATE = Pattern.compile("Session is in state (\\w+)");
    /** Livy's refusal when the session has ended (require(isActive), 400). */
    private static final String NOT_ACTIVE = "Session isn't active";

    private LivyProblems() {
    }

    /** True when Livy refused a request for its session's state: it did not act on it. */
    static boolean refusedForSessionState(LivyHttpException e) {
        return SESSION_IN_STATE.matcher(e.livyMessage()).find() || e.livyMessage().contains(NOT_ACTIVE);
    }

    /**
     * Why the answer shows the session is gone (404, or Livy refusing because it is dead, killed, in error or
     * shutting down), in words for the user; null when it does not show that.
     */
    public static String sessionGone(String sessionId, LivyException e) {
        if (e instanceof LivySessionNotFoundException) {
            return "the server no longer knows session " + sessionId
                    + " (deleted, expired, or the Livy server restarted)";
        }
        if (!(e instanceof LivyHttpException http)) {
            return null;
        }
        Matcher state = SESSION_IN_STATE.matcher(http.livyMessage());
        SessionState said = state.find() ? SessionState.fromWire(state.group(1)) : SessionState.UNKNOWN;
        if (said.isFinished() || said == SessionState.SHUTTING_DOWN) {
            return "Livy reports it " + state.group(1).toLowerCase(Locale.ROOT);
        }
        if (http.livyMessage().contains(NOT_ACTIVE)) {
            return "Livy reports it is no longer active";
        }
        return null;
    }

    public static UserFacingException explain(String action, LivyException e) {
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
            return new UserFacingException("LivyOutcomeUnknown", "Unknown whether Livy managed to " + action
                    + ": it gave no clear answer and the kernel could not find out: " + e.getMessage()
                    + "\nNothing was sent twice. Check with %%info (or Livy's list of the session's statements) before"
                    + " running the cell again.", e);
        }
        if (e instanceof LivyNotCreatedException) {
            return new UserFacingException("LivyDidNotRun", "Livy did not " + action + ": it gave no clear answer,"
                    + " and its own list shows it did not act on the request (" + e.getMessage() + ").\nNothing ran; run the cell"
                    + " again.", e);
        }
        if (e instanceof LivyHttpException http) {
            return new UserFacingException("LivyError", "Livy refused to " + action + " (HTTP "
                    + http.status() + "): " + (http.livyMessage() == null ? e.getMessage() : http.livyMessage()), e);
        }
        return new UserFacingException("LivyError", "Could not " + action + ": " + e.getMessage(), e);
    }
}
