package io.livykernel.batch;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;
import io.livykernel.backend.livy.rest.CreateBatchRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Stages a batch's local files on HDFS through WebHDFS and rewrites the request to their cluster URIs.
 * Names are content-addressed ({@code DIR/<sha-256 prefix>/<file name>}): the file name is kept (Spark
 * and the job may rely on it, e.g. for --files), and a re-run with unchanged files re-uses the uploads.
 * URIs in the request (hdfs://, s3a://, local:...) are the cluster's already and stay as they are.
 */
public final class BatchStaging {
    private static final List<String> FILE_LISTS = List.of("pyFiles", "jars", "files", "archives");
    private static final int HASH_HEX_CHARS = 16;

    /** One local file and where it goes. */
    public record Upload(Path local, String hdfsPath, long size) {
    }

    /** The request as it will be sent, and the uploads that must happen first. */
    public record Plan(CreateBatchRequest request, List<Upload> uploads) {
        public Plan {
            uploads = List.copyOf(uploads);
        }
    }

    /** What {@link #upload} did. */
    public record Result(int uploaded, int reused) {
    }

    private BatchStaging() {
    }

    /** Computes the staged names (reads the local files, contacts nothing): used by --dry-run as well. */
    public static Plan plan(CreateBatchRequest request, StagingConfig config) throws BatchSubmissionException {
        Map<String, Upload> uploads = new LinkedHashMap<>();
        List<BatchSubmissionException> failures = new ArrayList<>();
        CreateBatchRequest staged = BatchRequestFactory.edited(request, json -> {
            try {
                json.add("file", new JsonPrimitive(staged(json.get("file").getAsString(), config, uploads)));
                for (String key : FILE_LISTS) {
                    if (json.has(key)) {
                        JsonArray values = new JsonArray();
                        for (var value : json.getAsJsonArray(key)) {
                            values.add(staged(value.getAsString(), config, uploads));
                        }
                        json.add(key, values);
                    }
                }
            } catch (BatchSubmissionException e) {
                failures.add(e);
            }
        });
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return new Plan(staged, new ArrayList<>(uploads.values()));
    }

    /** Creates the staging directory and uploads what is not there yet with the same length. */
    public static Result upload(Plan plan, StagingConfig config, WebHdfsClient client)
            throws BatchSubmissionException, InterruptedException {
        int uploaded = 0;
        int reused = 0;
        if (!plan.uploads().isEmpty()) {
            client.mkdirs(config.directory());
        }
        for (Upload upload : plan.uploads()) {
            OptionalLong existing = client.fileLength(upload.hdfsPath());
            if (existing.isPresent() && existing.getAsLong() == upload.size()) {
                reused++;
            } else {
                client.create(upload.hdfsPath(), upload.local());
                uploaded++;
            }
        }
        return new Result(uploaded, reused);
    }

    /** A request value with its local part staged: {@code env.tar.gz#alias} keeps its alias. */
    private static String staged(String value, StagingConfig config, Map<String, Upload> uploads)
            throws BatchSubmissionException {
        if (ClusterPaths.isUri(value)) {
            return value;
        }
        int hash = value.indexOf('#');
        String localPart = hash < 0 ? value : value.substring(0, hash);
        String alias = hash < 0 ? "" : value.substring(hash);
        ClusterPaths.checkReadable(localPart, "file to stage");
        Path local = Path.of(localPart).toAbsolutePath().normalize();
        try {
            String hdfsPath = config.directory() + "/" + contentHash(local) + "/" + local.getFileName();
            uploads.putIfAbsent(hdfsPath, new Upload(local, hdfsPath, Files.size(local)));
            return config.clusterUri(hdfsPath) + alias;
        } catch (IOException e) {
            throw new BatchSubmissionException("cannot read " + local + " to stage it: " + e.getMessage(), e);
        }
    }

    static String contentHash(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, HASH_HEX_CHARS);
    }
}
