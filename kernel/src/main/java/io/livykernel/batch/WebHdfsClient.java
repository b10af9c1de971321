package io.livykernel.batch;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livykernel.http.AuthenticationException;
import io.livykernel.http.HttpFailures;
import io.livykernel.http.HttpStack;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The few WebHDFS REST operations staging needs (MKDIRS, GETFILESTATUS, CREATE), with simple
 * authentication ({@code user.name}); each is repeated with the retry policy on connection failures and 5xx.
 * CREATE is the two-step call of the API: the NameNode answers
 * 307 with a DataNode's address, and only then are the bytes sent, to that address. Errors carry the
 * server's RemoteException message. Requests go through the kernel's {@link HttpStack}: the configured TLS trust,
 * headers and credentials (Basic for a gateway, SPNEGO for a Kerberized NameNode) reach WebHDFS as they reach Livy.
 */
public final class WebHdfsClient {
    private final StagingConfig config;
    private final HttpStack http;

    /** Each request is bounded by the staging timeout ({@code config.timeout()}). */
    public WebHdfsClient(StagingConfig config, HttpStack http) {
        this.config = config;
        this.http = http;
    }

    /** Creates the directory and its parents (no error if it exists). */
    public void mkdirs(String path) throws BatchSubmissionException, InterruptedException {
        HttpResponse<String> response = send("MKDIRS", path, "PUT", HttpRequest.BodyPublishers.noBody(),
                operationUri("MKDIRS", path, "&permission=700"));
        expect(response, 200, "MKDIRS", path);
    }

    /** The file's length, or empty when there is no such file. */
    public OptionalLong fileLength(String path) throws BatchSubmissionException, InterruptedException {
        HttpResponse<String> response = send("GETFILESTATUS", path, "GET", HttpRequest.BodyPublishers.noBody(),
                operationUri("GETFILESTATUS", path, ""));
        if (response.statusCode() == 404) {
            return OptionalLong.empty();
        }
        expect(response, 200, "GETFILESTATUS", path);
        JsonObject status = JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("FileStatus");
        return "FILE".equals(status.get("type").getAsString()) ? OptionalLong.of(status.get("length").getAsLong())
                : OptionalLong.empty();
    }

    /** Uploads a local file to {@code path}, replacing what is there. */
    public void create(String path, Path local) throws BatchSubmissionException, InterruptedException {
        HttpResponse<String> redirect = send("CREATE", path, "PUT", HttpRequest.BodyPublishers.noBody(),
                operationUri("CREATE", path, "&overwrite=true"));
        String location = redirect.headers().firstValue("Location").orElse(null);
        if (redirect.statusCode() != 307 || location == null) {
            expect(redirect, 307, "CREATE", path);
            throw new BatchSubmissionException("WebHDFS CREATE " + path + " answered " + redirect.statusCode()
                    + " without a DataNode address (Location)");
        }
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(local);
        } catch (FileNotFoundException e) {
            throw new BatchSubmissionException("cannot stage " + local + ": file not found", e);
        }
        HttpResponse<String> created = send("CREATE", path, "PUT", body, URI.create(location));
        expect(created, 201, "CREATE", path);
    }

    private URI operationUri(String op, String path, String extra) {
        String encodedPath = URLEncoder.encode(path, StandardCharsets.UTF_8).replace("%2F", "/").replace("+", "%20");
        return URI.create(config.webhdfsUrl() + "/webhdfs/v1" + encodedPath + "?op=" + op + "&user.name="
                + URLEncoder.encode(config.user(), StandardCharsets.UTF_8) + extra);
    }

    private HttpResponse<String> send(String op, String path, String method, HttpRequest.BodyPublisher body, URI uri)
            throws BatchSubmissionException, InterruptedException {
        HttpRequest.Builder request = http.newRequest(uri).timeout(config.timeout())
                .header("Content-Type", "application/octet-stream").method(method, body);
        try {
            // Every operation here may run twice: MKDIRS exists-ok, CREATE overwrites with the same bytes.
            return http.sendRepeatable(request, uri, HttpResponse.BodyHandlers.ofString(), false);
        } catch (AuthenticationException e) {
            throw new BatchSubmissionException("WebHDFS " + op + " " + path + ": " + e.getMessage(), e);
        } catch (ConnectException e) {
            throw new BatchSubmissionException("cannot reach WebHDFS at " + uri.getScheme() + "://" + uri.getAuthority()
                    + " (" + op + " " + path + "): connection refused; check livy.batch.staging.webhdfsUrl", e);
        } catch (HttpTimeoutException e) {
            throw new BatchSubmissionException("WebHDFS " + op + " " + path + " timed out after "
                    + config.timeout().toSeconds() + " s", e);
        } catch (IOException e) {
            throw new BatchSubmissionException("WebHDFS " + op + " " + path + " failed: " + HttpFailures.describe(e),
                    e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String op, String path)
            throws BatchSubmissionException {
        if (response.statusCode() != status) {
            throw new BatchSubmissionException("WebHDFS refused " + op + " " + path + " (HTTP " + response.statusCode()
                    + "): " + remoteException(response.body()));
        }
    }

    /** The RemoteException's "exception: message", or the body's first line. */
    static String remoteException(String body) {
        try {
            JsonObject e = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("RemoteException");
            return e.get("exception").getAsString() + ": " + e.get("message").getAsString();
        } catch (RuntimeException notJson) {
            String text = body == null ? "" : body.strip();
            return text.isEmpty() ? "no details" : text.lines().findFirst().orElse(text);
        }
    }
}
