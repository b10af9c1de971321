package io.livykernel.backend.livy;

import io.livykernel.backend.livy.rest.AppInfo;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.policy.ResourceManager;
import java.net.URI;
import java.util.Optional;

/** What a session or batch has used, from the ResourceManager that serves its YARN proxy address. */
final class Usage {
    private Usage() {
    }

    /** The usage of the application behind {@code app}; says plainly when there is none to read. */
    static ResourceManager.Usage of(String appId, AppInfo appInfo, LivyClient client) throws InterruptedException {
        if (appId == null || appId.isBlank() || !appId.startsWith("application_")) {
            return new ResourceManager.Usage(null, "no YARN application: Livy runs Spark in local mode here, or"
                    + " YARN has not assigned one yet");
        }
        Optional<URI> rm = ResourceManager.fromProxyUrl(appInfo == null ? null : appInfo.sparkUiUrl());
        if (rm.isEmpty()) {
            return new ResourceManager.Usage(null, "Livy shows no YARN proxy address for " + appId
                    + " to find the ResourceManager by");
        }
        return new ResourceManager(client.otherServices(), rm.get()).usage(appId);
    }

    static ResourceManager.Usage of(LivySession session, LivyClient client) throws InterruptedException {
        return of(session.appId(), session.appInfo(), client);
    }
}
