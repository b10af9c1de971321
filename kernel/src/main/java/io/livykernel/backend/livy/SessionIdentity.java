package io.livykernel.backend.livy;

import io.livykernel.backend.livy.rest.LivySession;
import java.util.Objects;

/**
 * Who this kernel's session is, beyond its id: Livy reuses ids after a restart (a new session gets id 0
 * again), so an id alone may name another notebook's session. The name is unique per start; the proxy user
 * and the YARN application id, once known, never change for a session.
 */
record SessionIdentity(String name, String proxyUser, String appId) {

    static SessionIdentity of(LivySession s) {
        return new SessionIdentity(s.name(), s.proxyUser(), s.appId());
    }

    /** Why {@code seen} (Livy's answer for our id) is not our session, or null when it is. */
    String mismatch(LivySession seen) {
        if (name != null && !name.equals(seen.name())) {
            return "its id now belongs to another session ('" + seen.name() + "', not '" + name + "')";
        }
        if (proxyUser != null && seen.proxyUser() != null && !proxyUser.equals(seen.proxyUser())) {
            return "its id now belongs to a session of another user";
        }
        if (appId != null && !Objects.equals(appId, seen.appId())) {
            return "its id now belongs to another Spark application (" + seen.appId() + ", not " + appId + ")";
        }
        return null;
    }

    /** This identity with the application id learnt from a later answer. */
    SessionIdentity learn(LivySession seen) {
        return appId == null && seen.appId() != null && mismatch(seen) == null
                ? new SessionIdentity(name, proxyUser, seen.appId()) : this;
    }
}
