package io.livykernel.batch;

import io.livykernel.backend.livy.LivyBackendConfig;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import io.livykernel.policy.ResourceUsage;
import io.livykernel.policy.UsageReader;
import java.util.Optional;

/** What the batch commands read from the configuration: the Livy client's settings and livy.batch.staging. */
public record BatchSettings(LivyBackendConfig livy, Optional<StagingConfig> staging) {
    public static BatchSettings from(KernelConfig config) throws ConfigException {
        String where = config.source() == null ? "the configuration" : config.source().toString();
        return new BatchSettings(LivyBackendConfig.from(config),
                StagingConfig.from(config.section("livy"), where, System.getProperty("user.name")));
    }

    /**
     * What application {@code appId} has used: from the ResourceManager (yarn.resourceManagerUrl, else the one
     * behind {@code sparkUiUrl}, a YARN proxy address), else Spark's executors API there; why not when neither tells.
     * Through the Livy client's HTTP stack, so its TLS, headers and login apply.
     */
    public ResourceUsage usage(String appId, String sparkUiUrl) throws BatchSubmissionException, InterruptedException {
        return new UsageReader(client().otherServices(), livy.resourceManager()).read(appId, sparkUiUrl);
    }

    /** A client for the configured Livy; settings it cannot use (e.g. a bad trust store) are the exception. */
    public LivyClient client() throws BatchSubmissionException {
        try {
            return new LivyClient(livy.http());
        } catch (IllegalArgumentException e) {
            throw new BatchSubmissionException(BatchService.oneLine(e.getMessage()), e);
        }
    }
}
