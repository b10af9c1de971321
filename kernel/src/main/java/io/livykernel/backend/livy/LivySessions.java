package io.livykernel.backend.livy;

import io.livykernel.backend.livy.rest.AppInfo;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivyException;
import io.livykernel.backend.livy.rest.LivyProblems;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.backend.livy.rest.LivySessionNotFoundException;
import io.livykernel.backend.livy.rest.UploadKind;
import io.livykernel.policy.SessionLimits;
import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.extension.SessionSummary;
import io.livykernel.http.HttpStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@link RemoteSessions} for magics, over this kernel's Livy client, session and statement runner. */
final class LivySessions implements RemoteSessions {
    private static final int LIST_SIZE = 1000;

    private final LivyClient client;
    private final LivyBackendConfig config;
    private final RemoteSession session;
    private final LivyBackend backend;

    LivySessions(LivyClient client, LivyBackendConfig config, RemoteSession session, LivyBackend backend) {
        this.client = client;
        this.config = config;
        this.session = session;
        this.backend = backend;
    }

    @Override
    public String endpoint() {
        return config.endpoint();
    }

    @Override
    public HttpStack otherServices() {
        return client.otherServices();
    }

    @Override
    public int maxOutputBytes() {
        return config.maxOutputBytes();
    }

    @Override
    public JsonObject platformDefaults() {
        return config.sessionDefaults();
    }

    @Override
    public Set<String> lockedKeys() {
        return config.lockedKeys();
    }

    @Override
    public SessionLimits limits() {
        return config.limits();
    }

    @Override
    public JsonObject effectiveRequest() {
        return session.effectiveRequest();
    }

    @Override
    public SessionSummary current() {
        LivySession info = session.info();
        if (info == null || session.state() == RemoteSession.State.NONE || session.state() == RemoteSession.State.CLOSED) {
            return null;
        }
        try {
            LivySession seen = client.getSession(info.id());
            if (session.observe(seen)) {
                info = seen;
            }
        } catch (LivyException e) {
            String gone = LivyProblems.sessionGone(info.id(), e);
            if (gone != null) {
                session.markLost(gone);
            }
            // the last known state will do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return summary(info);
    }

    @Override
    public SessionSummary start(CellOutput out) throws UserFacingException, InterruptedException {
        backend.readySession(out);
        return current();
    }

    @Override
    public String usage() throws InterruptedException {
        LivySession running = session.info();
        return running == null ? null : Usage.of(running, client, config).line();
    }

    @Override
    public String reclaim() {
        LivySession running = session.info();
        return running == null ? null : ReclaimNotice.describe(running, session.effectiveRequest(),
                session.createdMillis(), session.lastActivityMillis(), System.currentTimeMillis());
    }

    @Override
    public boolean configure(JsonObject notebookSettings, boolean recreate)
            throws UserFacingException, InterruptedException {
        List<String> overCaps = session.overCaps(notebookSettings);
        if (!overCaps.isEmpty()) {
            throw new UserFacingException("LimitExceeded", "%%configure was not applied; nothing changed:\n  - "
                    + String.join("\n  - ", overCaps));
        }
        LivySession running = session.info();
        try {
            return session.configure(notebookSettings, recreate);
        } catch (LivyException e) {
            throw LivyProblems.explain("delete session " + (running == null ? "?" : running.id()) + ", so it keeps"
                    + " running with the earlier settings and nothing changed (run %%configure -f again later)", e);
        }
    }

    @Override
    public CellResult run(String code, String kind, CellOutput out) throws InterruptedException {
        String refused = client.settings().flavor().refusesKind(kind);
        if (refused != null) {
            String why = refused + ": write the cell in PySpark. Nothing was sent.";
            return CellResult.error("UsageError", why, List.of("UsageError: " + why));
        }
        return backend.runStatement(code, kind, out, kind.equals("pyspark"));
    }

    @Override
    public String evaluateQuietly(String code, CellOutput out) throws UserFacingException, InterruptedException {
        return backend.evaluateQuietly(code, out);
    }

    @Override
    public List<String> log() throws UserFacingException, InterruptedException {
        LivySession info = session.info();
        if (info == null) {
            return List.of();
        }
        try {
            return client.getSessionLog(info.id(), 0, 100_000).log();
        } catch (LivyException e) {
            throw LivyProblems.explain("read the log of session " + info.id(), e);
        }
    }

    @Override
    public List<SessionSummary> userSessions() throws UserFacingException, InterruptedException {
        return sessions(false);
    }

    @Override
    public SessionSummary attach(String sessionId) throws UserFacingException, InterruptedException {
        try {
            return summary(session.attach(sessionId));
        } catch (LivySessionNotFoundException e) {
            throw new UserFacingException("NoSuchSession", "There is no session " + sessionId + " on " + endpoint()
                    + " (%%info lists yours).", e);
        } catch (LivyException e) {
            throw LivyProblems.explain("attach to session " + sessionId, e);
        }
    }

    @Override
    public SessionSummary detach() throws UserFacingException {
        LivySession was = session.detach();
        if (was == null) {
            throw new UserFacingException("NotAttached", "This notebook is not attached to another session;"
                    + " %attach -s ID attaches to one.");
        }
        return summary(was);
    }

    @Override
    public void deleteOther(String sessionId) throws UserFacingException, InterruptedException {
        LivySession own = session.info();
        boolean current = own != null && own.id().equals(sessionId) && session.state() != RemoteSession.State.NONE;
        if (current && !session.attached()) {
            throw new UserFacingException("UsageError", "Session " + sessionId + " is this notebook's own session."
                    + " Shut the kernel down to delete it, %%configure -f to replace it, or %%cleanup -f to delete"
                    + " all of yours.");
        }
        try {
            client.deleteSession(sessionId);
            if (current) {
                session.forget(); // it was attached: the next cell starts this notebook's own session
            }
        } catch (LivySessionNotFoundException e) {
            throw new UserFacingException("NoSuchSession", "There is no session " + sessionId + " on " + endpoint()
                    + " (it may have ended already; %%info lists yours).", e);
        } catch (LivyException e) {
            throw LivyProblems.explain("delete session " + sessionId, e);
        }
    }

    @Override
    public List<String> deleteAll(boolean everyUser) throws UserFacingException, InterruptedException {
        List<String> deleted = new ArrayList<>();
        LivySession own = session.info();
        for (SessionSummary s : sessions(everyUser)) {
            try {
                client.deleteSessionQuietly(s.id());
                deleted.add(s.id());
            } catch (LivyException e) {
                throw LivyProblems.explain("delete session " + s.id() + " (deleted so far: " + deleted + ")", e);
            }
        }
        if (own != null && deleted.contains(own.id())) {
            session.forget();
        }
        return deleted;
    }

    /** The endpoint's sessions: every one, or only the user's (see {@link #yours}). */
    private List<SessionSummary> sessions(boolean everyUser) throws UserFacingException, InterruptedException {
        List<SessionSummary> found = new ArrayList<>();
        try {
            for (LivySession s : client.listSessions(0, LIST_SIZE).sessions()) {
                if (everyUser || yours(s)) {
                    found.add(summary(s));
                }
            }
        } catch (LivyException e) {
            throw LivyProblems.explain("list the sessions", e);
        }
        return found;
    }

    /**
     * A session is the user's when this kernel created it, or when it runs as the user (its proxyUser, else
     * the owner Livy authenticated). The user is JUPYTERHUB_USER, else the OS user running the kernel: with
     * no user known, nobody else's session (proxyUser root, another user's notebook) can count as yours.
     */
    private boolean yours(LivySession s) {
        String user = session.user() != null ? session.user() : System.getProperty("user.name");
        boolean proxied = s.proxyUser() != null && !s.proxyUser().isEmpty();
        return session.createdHere(s) || user.equals(proxied ? s.proxyUser() : s.owner());
    }

    @Override
    public void upload(Path file, UploadType type, CellOutput out) throws UserFacingException, InterruptedException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserFacingException("UploadError", "Cannot read " + file + ": " + e.getMessage(), e);
        }
        String id = backend.readySession(out);
        UploadKind kind = switch (type) {
            case PY_FILE -> UploadKind.PY_FILE;
            case JAR -> UploadKind.JAR;
            case FILE -> UploadKind.FILE;
        };
        try {
            client.upload(id, kind, file.getFileName().toString(), content);
        } catch (LivyException e) {
            throw LivyProblems.explain("upload " + file.getFileName() + " to session " + id, e);
        }
    }

    static SessionSummary summary(LivySession s) {
        AppInfo info = s.appInfo();
        return new SessionSummary(s.id(), s.name(), s.appId(), s.kind(), s.rawState(), s.owner(), s.proxyUser(),
                info == null ? null : info.sparkUiUrl(), info == null ? null : info.driverLogUrl());
    }
}
