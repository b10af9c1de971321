package io.livykernel.extension;

import io.livykernel.policy.SessionLimits;
import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.http.HttpStack;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What magics can do with the remote Spark side when the kernel runs on Livy: this notebook's session
 * (settings, statements of any kind, log, attach/detach) and the user's other sessions on the endpoint.
 */
public interface RemoteSessions {

    /** The endpoint as users may see it (no credentials). */
    String endpoint();

    /** How large a statement's printed output may be before the kernel cuts it (livy.output.maxBytes). */
    int maxOutputBytes();

    /**
     * The kernel's HTTP stack for the sessions' Spark UI and a History Server: the configured TLS trust, headers
     * and credentials, with the Livy client's Kerberos login (as a Kerberized cluster's YARN proxy wants); null
     * when the magic should build one from the configuration.
     */
    default HttpStack otherServices() {
        return null;
    }

    /** The platform's session defaults from the configuration file. */
    JsonObject platformDefaults();

    /** The platform's caps on what a session may ask for (livy.session.limits). */
    default SessionLimits limits() {
        return SessionLimits.NONE;
    }

    /** Session keys that notebooks may not override (the administrator's choice). */
    Set<String> lockedKeys();

    /** The body the next session start sends: defaults, the notebook's settings, and the kernel's own fields. */
    JsonObject effectiveRequest();

    /**
     * What this notebook's session has used, in one line ("Resources used: ... GB-hours ..."), read from YARN's
     * ResourceManager; says why when that cannot be known (local mode, RM unreachable); null without a session.
     */
    default String usage() throws InterruptedException {
        return null;
    }

    /**
     * When the server will reclaim this notebook's session (its idleTimeout counted from the last activity, its ttl
     * from its creation), or that the server did not say; null without a session.
     */
    default String reclaim() {
        return null;
    }

    /** This notebook's session, or null when none is running. */
    SessionSummary current();

    /** Starts this notebook's session now if it has none (its start shown in {@code out}); returns it. */
    SessionSummary start(CellOutput out) throws UserFacingException, InterruptedException;

    /**
     * Replaces the notebook's own session settings. With {@code recreate} the running session (if any) is
     * deleted first so the next statement starts one with the new settings (an attached one is only let go).
     * Returns whether a session was deleted; a failed DELETE is thrown and changes nothing.
     */
    boolean configure(JsonObject notebookSettings, boolean recreate) throws UserFacingException, InterruptedException;

    /** Runs code of one of Livy's statement kinds (pyspark, sql, spark, sparkr) in this notebook's session. */
    CellResult run(String code, String kind, CellOutput out) throws InterruptedException;

    /**
     * Runs pyspark code and returns what it printed instead of showing it (for moving data); a failure is
     * thrown with the remote error. {@code out} shows the session's start, if one is needed.
     */
    String evaluateQuietly(String code, CellOutput out) throws UserFacingException, InterruptedException;

    /** The session's driver log (all lines Livy keeps). */
    List<String> log() throws UserFacingException, InterruptedException;

    /**
     * The user's sessions on the endpoint: those this kernel created, and those whose proxy user (or, with
     * none, owner) is the user: JUPYTERHUB_USER, else the OS user running the kernel.
     */
    List<SessionSummary> userSessions() throws UserFacingException, InterruptedException;

    /** Uses an existing session instead of this kernel's own; it is not deleted when the kernel ends. */
    SessionSummary attach(String sessionId) throws UserFacingException, InterruptedException;

    /** Stops using an attached session (it keeps running); the next cell starts the kernel's own. */
    SessionSummary detach() throws UserFacingException;

    /** Deletes another session of the endpoint (never this kernel's own). */
    void deleteOther(String sessionId) throws UserFacingException, InterruptedException;

    /**
     * Deletes the user's sessions on the endpoint ({@link #userSessions}), this kernel's included, or with
     * {@code everyUser} every session of the endpoint; returns their ids.
     */
    List<String> deleteAll(boolean everyUser) throws UserFacingException, InterruptedException;

    /** Sends a local file to the session: a Python module (importable on driver and executors), jar or file. */
    void upload(Path file, UploadType type, CellOutput out) throws UserFacingException, InterruptedException;

    enum UploadType {
        PY_FILE, JAR, FILE
    }
}
