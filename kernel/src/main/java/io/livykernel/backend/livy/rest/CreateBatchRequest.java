package io.livykernel.backend.livy.rest;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of POST /batches (Livy's {@code CreateBatchRequest}): a Spark application to run once.
 * Null fields are left out of the JSON. Build one with {@link #builder(String)}.
 *
 * @param file      the application: a .py file or a jar, on a file system the cluster can read (a local
 *                  path must be under Livy's livy.file.local-dir-whitelist)
 * @param className the main class of a jar application; null for Python
 */
public record CreateBatchRequest(
        String file,
        String proxyUser,
        String className,
        List<String> args,
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
        Map<String, String> conf) {

    public CreateBatchRequest {
        Objects.requireNonNull(file, "file");
        args = args == null ? null : List.copyOf(args);
        jars = jars == null ? null : List.copyOf(jars);
        pyFiles = pyFiles == null ? null : List.copyOf(pyFiles);
        files = files == null ? null : List.copyOf(files);
        archives = archives == null ? null : List.copyOf(archives);
        conf = conf == null ? null : Map.copyOf(conf);
    }

    public static Builder builder(String file) {
        return new Builder(file);
    }

    public String toJson() {
        return JsonFields.GSON.toJson(this);
    }

    /** Collects the fields of a {@link CreateBatchRequest}; every field but the file starts unset. */
    public static final class Builder extends SparkApplicationBuilder<Builder> {
        private final String file;
        private String className;
        private List<String> args;

        private Builder(String file) {
            this.file = file;
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder className(String value) {
            className = value;
            return this;
        }

        public Builder args(List<String> value) {
            args = value;
            return this;
        }

        public CreateBatchRequest build() {
            return new CreateBatchRequest(file, proxyUser, className, args, jars, pyFiles, files, driverMemory,
                    driverCores, executorMemory, executorCores, numExecutors, archives, queue, name, conf);
        }
    }
}
