package io.livykernel.backend.livy;

import io.livykernel.policy.ResourceManager;
import java.net.URI;
import java.util.Optional;

/** What a session or batch has used, from the ResourceManager that serves its YARN proxy address. */
final class Usage {
    private Usage() {
    }

    /** The usage of the application behind {@code app}; says plainly when there is none to read. */
    static ResourceManager.Usage of(String appId, AppInfo appInfo, LivyClient client) throws InterruptedException {
        if (appId == null || appId.isBlank() || appId.startsWith("local-")) {
            return new ResourceManager.Usage(null, "no cluster application: Livy runs Spark in local mode here, or"
                    + " the cluster has not assigned one yet");
        }
        if (!appId.startsWith("application_")) {
            // Only YARN's ResourceManager reports an application's usage; Kubernetes (spark-...) has no such API.
            return new ResourceManager.Usage(null, "application " + appId + (appId.startsWith("spark-")
                    ? " runs on Kubernetes" : " is not a YARN application") + ", whose usage this kernel does not"
                    + " read; see the cluster's own monitoring");
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
