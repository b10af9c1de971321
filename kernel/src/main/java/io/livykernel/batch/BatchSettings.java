package io.livykernel.batch;

import io.livykernel.backend.livy.LivyBackendConfig;
import io.livykernel.backend.livy.rest.LivyClient;
import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import java.util.Optional;

/** What the batch commands read from the configuration: the Livy client's settings and livy.batch.staging. */
public record BatchSettings(LivyBackendConfig livy, Optional<StagingConfig> staging) {
    public static BatchSettings from(KernelConfig config) throws ConfigException {
        String where = config.source() == null ? "the configuration" : config.source().toString();
        return new BatchSettings(LivyBackendConfig.from(config),
                StagingConfig.from(config.section("livy"), where, System.getProperty("user.name")));
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
