package io.livykernel.magic;

import com.google.gson.JsonObject;
import io.livykernel.api.CellOutput;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.messages.Json;

/**
 * The Spark UI address of a session that Livy gives none for (a local-mode Livy never fills appInfo), asked
 * from the driver itself with one silent statement.
 */
record DriverUi(String master, String appId, String uiUrl) {
    static final String CODE = "import json as _lk_json\n"
            + "print(_lk_json.dumps({'master': sc.master, 'appId': sc.applicationId, 'ui': sc.uiWebUrl}))";

    /** The driver's answer; a driver without a UI (spark.ui.enabled false) is one clear error. */
    static DriverUi ask(RemoteSessions remote, String sessionId, CellOutput out)
            throws UserFacingException, InterruptedException {
        String printed = remote.evaluateQuietly(CODE, out);
        JsonObject answer;
        try {
            answer = Json.parseObject(printed.substring(printed.lastIndexOf('\n') + 1));
        } catch (RuntimeException e) {
            throw new UserFacingException("NoSparkUi", "Session " + sessionId + "'s driver did not say where its"
                    + " Spark UI is (it printed: " + printed + "); use -a APP_ID -u SPARK_UI_OR_HISTORY_SERVER_URL.");
        }
        DriverUi ui = new DriverUi(Json.string(answer, "master", "?"), Json.string(answer, "appId", null),
                Json.string(answer, "ui", null));
        if (ui.uiUrl() == null || ui.uiUrl().isBlank()) {
            throw new UserFacingException("NoSparkUi", "Session " + sessionId + " runs Spark " + ui.where()
                    + " and its driver has no Spark UI (spark.ui.enabled is false), so there is no UI address to"
                    + " read metrics from. Enable the UI with %%configure -f, or use -a " + ui.appId()
                    + " -u HISTORY_SERVER_URL if the application logs its events to a History Server.");
        }
        return ui;
    }

    /** "in local mode (local[2])", or the master for another cluster manager. */
    String where() {
        return master.startsWith("local") ? "in local mode (" + master + ")" : "on master " + master;
    }
}
