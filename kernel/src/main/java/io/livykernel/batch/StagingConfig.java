package io.livykernel.batch;

import com.google.gson.JsonObject;
import io.livykernel.config.ConfigException;
import io.livykernel.messages.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code livy.batch.staging} of the configuration: where {@code submit --via livy} uploads local files
 * through WebHDFS so the cluster can read them, instead of sending local paths.
 *
 * <pre>
 * "livy": {"batch": {"staging": {
 *     "webhdfsUrl": "http://namenode:9870",          the NameNode's HTTP address (/webhdfs/v1 is added)
 *     "directory": "/user/{user}/.livy-kernel/staging", per user by default; {user} is replaced
 *     "user": "alice",                               WebHDFS user.name (default: the local user)
 *     "fileSystem": "hdfs://",                       prefix of the paths sent to Livy (hdfs:///user/...)
 *     "timeoutSeconds": 120}}}                       per request
 * </pre>
 *
 * @param webhdfsUrl the NameNode's HTTP base URL, without /webhdfs/v1
 * @param directory  the staging directory on HDFS for this user, absolute
 * @param user       the user.name WebHDFS requests are made as
 * @param fileSystem the URI prefix the cluster reads staged paths with, e.g. {@code hdfs://} or {@code hdfs://ns1}
 */
public record StagingConfig(URI webhdfsUrl, String directory, String user, String fileSystem, Duration timeout) {
    public static final String DEFAULT_DIRECTORY = "/user/{user}/.livy-kernel/staging";

    /** The section from the "livy" configuration section; empty when staging is not configured. */
    public static Optional<StagingConfig> from(JsonObject livy, String where, String localUser) throws ConfigException {
        JsonObject staging = Json.object(Json.object(livy, "batch"), "staging");
        String url = Json.string(staging, "webhdfsUrl", null);
        if (url == null || url.isBlank()) {
            if (!staging.keySet().isEmpty()) {
                throw new ConfigException(where + ": livy.batch.staging needs webhdfsUrl, e.g. \"http://namenode:9870\"");
            }
            return Optional.empty();
        }
        URI base;
        try {
            base = new URI(url.strip().replaceAll("/+$", "").replaceFirst("/webhdfs/v1$", ""));
        } catch (URISyntaxException e) {
            base = null;
        }
        if (base == null || base.getHost() == null || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
            throw new ConfigException(where + ": livy.batch.staging.webhdfsUrl must be an http(s) URL such as"
                    + " http://namenode:9870 (got '" + url + "')");
        }
        String user = Json.string(staging, "user", localUser);
        String directory = Json.string(staging, "directory", DEFAULT_DIRECTORY).replace("{user}", user)
                .replaceAll("/+$", "");
        if (!directory.startsWith("/")) {
            throw new ConfigException(where + ": livy.batch.staging.directory must be an absolute HDFS path (got '"
                    + directory + "')");
        }
        int timeout = Json.integer(staging, "timeoutSeconds", 120);
        if (timeout <= 0) {
            throw new ConfigException(where + ": livy.batch.staging.timeoutSeconds must be a positive number of seconds");
        }
        String fileSystem = Json.string(staging, "fileSystem", "hdfs://").strip().replaceAll("/+$", "");
        if (!ClusterPaths.isUri(fileSystem + "/")) {
            throw new ConfigException(where + ": livy.batch.staging.fileSystem must be a URI prefix such as hdfs:// or"
                    + " hdfs://nameservice1 (got '" + fileSystem + "')");
        }
        return Optional.of(new StagingConfig(base, directory, user,
                fileSystem.endsWith(":") ? fileSystem + "//" : fileSystem, Duration.ofSeconds(timeout)));
    }

    /** The URI the cluster reads an HDFS path with: {@code hdfs://} + {@code /user/...} = {@code hdfs:///user/...}. */
    public String clusterUri(String hdfsPath) {
        return fileSystem + hdfsPath;
    }
}
