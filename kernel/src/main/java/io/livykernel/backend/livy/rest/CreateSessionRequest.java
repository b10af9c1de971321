package io.livykernel.backend.livy.rest;

import java.util.List;
import java.util.Map;

/**
 * The body of POST /sessions (Livy's {@code CreateInteractiveRequest}). Null fields are left out of the
 * JSON so Livy applies its own defaults. Build one with {@link #builder()}.
 *
 * @param kind                     pyspark, spark, sparkr, sql or shared (Livy's default)
 * @param name                     unique among Livy's live sessions: Livy refuses a duplicate with HTTP 400,
 *                                 which {@link LivyClient#createSessionExactlyOnce} relies on
 * @param driverMemory             JVM memory string such as "4g"; likewise {@code executorMemory}
 * @param heartbeatTimeoutInSecond Livy deletes the session when no request touched it for this long; 0 = off
 * @param ttl                      delete the session this long after its creation, busy or not, e.g. "8h" (LIVY-989;
 *                                 enforced only where the server turns livy.server.session.ttl-check on)
 * @param idleTimeout              delete the session after this long without activity, e.g. "30m"; overrides
 *                                 livy.server.session.timeout (both Livy 0.9+, {@link io.livykernel.config.LivyDuration})
 */
public record CreateSessionRequest(
        String kind,
        String proxyUser,
        List<String> jars,
        List<String> pyFiles,
        List<String> files,
        String driverMemory,
        Integer driverCores,
        String executorMemory,
        Integer executorCores,
        Integer numExecutors,
        List<String> archives,
        String queue,
        String name,
        Map<String, String> conf,
        Integer heartbeatTimeoutInSecond,
        String ttl,
        String idleTimeout) {

    public CreateSessionRequest {
        jars = jars == null ? null : List.copyOf(jars);
        pyFiles = pyFiles == null ? null : List.copyOf(pyFiles);
        files = files == null ? null : List.copyOf(files);
        archives = archives == null ? null : List.copyOf(archives);
        conf = conf == null ? null : Map.copyOf(conf);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values, for a copy with some fields changed. */
    public Builder toBuilder() {
        return new Builder().kind(kind).proxyUser(proxyUser).jars(jars).pyFiles(pyFiles).files(files)
                .driverMemory(driverMemory).driverCores(driverCores).executorMemory(executorMemory)
                .executorCores(executorCores).numExecutors(numExecutors).archives(archives).queue(queue)
                .name(name).conf(conf).heartbeatTimeoutInSecond(heartbeatTimeoutInSecond).ttl(ttl)
                .idleTimeout(idleTimeout);
    }

    String toJson() {
        return JsonFields.GSON.toJson(this);
    }

    /** Collects the fields of a {@link CreateSessionRequest}; every field starts unset (null). */
    public static final class Builder extends SparkApplicationBuilder<Builder> {
        private String kind;
        private Integer heartbeatTimeoutInSecond;
        private String ttl;
        private String idleTimeout;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder kind(String value) {
            kind = value;
            return this;
        }

        public Builder heartbeatTimeoutInSecond(Integer value) {
            heartbeatTimeoutInSecond = value;
            return this;
        }

        public Builder ttl(String value) {
            ttl = value;
            return this;
        }

        public Builder idleTimeout(String value) {
            idleTimeout = value;
            return this;
        }

        public CreateSessionRequest build() {
            return new CreateSessionRequest(kind, proxyUser, jars, pyFiles, files, driverMemory, driverCores,
                    executorMemory, executorCores, numExecutors, archives, queue, name, conf,
                    heartbeatTimeoutInSecond, ttl, idleTimeout);
        }
    }
}
