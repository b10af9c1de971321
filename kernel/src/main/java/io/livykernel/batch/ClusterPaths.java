package io.livykernel.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * How files are named in a batch request. URIs (hdfs://, s3a://, local:, file:...) are already readable by
 * the cluster and pass through; anything else is a local file, sent as its absolute path, which Livy only
 * accepts inside its livy.file.local-dir-whitelist (a shared file system).
 */
public final class ClusterPaths {
    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.+");

    private ClusterPaths() {
    }

    /** True for a URI with a scheme; a Windows drive letter is not expected here. */
    public static boolean isUri(String value) {
        return URI_SCHEME.matcher(value).matches();
    }

    /** The value to send: URIs unchanged, local paths absolute and normalised. */
    public static String forCluster(String value) {
        return isUri(value) ? value : Path.of(value).toAbsolutePath().normalize().toString();
    }

    /** Checks a local file exists and is readable; URIs are the cluster's to check. */
    public static void checkReadable(String value, String what) throws BatchSubmissionException {
        if (isUri(value)) {
            return;
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new BatchSubmissionException(what + " not found: " + path.toAbsolutePath().normalize());
        }
        if (!Files.isReadable(path)) {
            throw new BatchSubmissionException(what + " is not readable: " + path.toAbsolutePath().normalize());
        }
    }
}
