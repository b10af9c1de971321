package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * An interactive session as Livy describes it (GET /sessions/{id}, Livy's {@code SessionInfo}).
 * {@code log} holds the last lines of the session's log (at most 10). The fields from {@code ttl} on echo
 * the create request; Livy sends them since 0.8, so on older servers they are null or empty. Livy reports
 * unset numbers as 0.
 */
public record LivySession(
        String id,
        String name,
        String appId,
        String owner,
        String proxyUser,
        SessionState state,
        String rawState,
        String kind,
        AppInfo appInfo,
        List<String> log,
        String ttl,
        String idleTimeout,
        String driverMemory,
        Integer driverCores,
        String executorMemory,
        Integer executorCores,
        Integer numExecutors,
        String queue,
        Integer heartbeatTimeoutInSecond,
        Map<String, String> conf,
        List<String> jars,
        List<String> pyFiles,
        List<String> files,
        List<String> archives) {

    public LivySession {
        state = state == null ? SessionState.UNKNOWN : state;
        appInfo = appInfo == null ? AppInfo.NONE : appInfo;
        log = log == null ? List.of() : List.copyOf(log);
        conf = conf == null ? Map.of() : Map.copyOf(conf);
        jars = jars == null ? List.of() : List.copyOf(jars);
        pyFiles = pyFiles == null ? List.of() : List.copyOf(pyFiles);
        files = files == null ? List.of() : List.copyOf(files);
        archives = archives == null ? List.of() : List.copyOf(archives);
    }

    public static LivySession fromJson(JsonObject o) {
        String rawState = JsonFields.string(o, "state");
        return new LivySession(
                JsonFields.id(o, "id"),
                JsonFields.string(o, "name"),
                JsonFields.string(o, "appId"),
                JsonFields.string(o, "owner"),
                JsonFields.string(o, "proxyUser"),
                SessionState.fromWire(rawState),
                rawState,
                JsonFields.string(o, "kind"),
                AppInfo.fromJson(JsonFields.object(o, "appInfo")),
                JsonFields.strings(o, "log"),
                JsonFields.string(o, "ttl"),
                JsonFields.string(o, "idleTimeout"),
                JsonFields.string(o, "driverMemory"),
                JsonFields.optionalInt(o, "driverCores"),
                JsonFields.string(o, "executorMemory"),
                JsonFields.optionalInt(o, "executorCores"),
                JsonFields.optionalInt(o, "numExecutors"),
                JsonFields.string(o, "queue"),
                JsonFields.optionalInt(o, "heartbeatTimeoutInSecond"),
                JsonFields.stringMap(o, "conf"),
                JsonFields.strings(o, "jars"),
                JsonFields.strings(o, "pyFiles"),
                JsonFields.strings(o, "files"),
                JsonFields.strings(o, "archives"));
    }
}
