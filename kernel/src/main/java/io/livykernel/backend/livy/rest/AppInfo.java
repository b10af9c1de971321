package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;

/**
 * Where to look at the Spark application behind a session or batch. Livy fills these in on YARN (the
 * driver container's log page and the Spark UI through the YARN proxy); in local mode they stay null.
 */
public record AppInfo(String driverLogUrl, String sparkUiUrl, String executorLogUrls) {
    static final AppInfo NONE = new AppInfo(null, null, null);

    static AppInfo fromJson(JsonObject o) {
        return new AppInfo(JsonFields.string(o, "driverLogUrl"), JsonFields.string(o, "sparkUiUrl"),
                JsonFields.string(o, "executorLogUrls"));
    }
}
