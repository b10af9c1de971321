package io.livykernel.backend.livy;

import io.livykernel.backend.livy.rest.AppInfo;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.backend.livy.rest.LivySession;
import io.livykernel.policy.ResourceUsage;
import io.livykernel.policy.UsageReader;

/**
 * What a session or batch has used: from the configured ResourceManager or the one serving its YARN proxy
 * address, else from Spark's executors API behind that address ({@link UsageReader}).
 */
final class Usage {
    private Usage() {
    }

    /** The usage of application {@code appId}; says plainly when there is none to read. */
    static ResourceUsage of(String appId, AppInfo appInfo, LivyClient client, LivyBackendConfig config)
            throws InterruptedException {
        return new UsageReader(client.otherServices(), config.resourceManager())
                .read(appId, appInfo == null ? null : appInfo.sparkUiUrl());
    }

    static ResourceUsage of(LivySession session, LivyClient client, LivyBackendConfig config)
            throws InterruptedException {
        return of(session.appId(), session.appInfo(), client, config);
    }
}
