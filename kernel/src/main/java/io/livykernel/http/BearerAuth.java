package io.livykernel.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Bearer token authentication ({@code Authorization: Bearer <token>}) for hosted Livy endpoints (Microsoft
 * Fabric, Azure Synapse) and gateways, with the token from a {@link TokenSource}. The token is kept between
 * requests: a file's until its mtime or size changes, a command's until shortly before the expiry it printed (or,
 * when it printed none, until a 401). A 401 means the server did not act on the request, so it is answered by
 * reading the source again and sending the request once more. The token never appears in messages, logs or
 * {@link #toString()}. Thread-safe.
 */
public final class BearerAuth implements Authenticator {
    private static final Logger LOG = Logger.getLogger(BearerAuth.class.getName());
    /** How long before its stated expiry a command's token is replaced (at most half its lifetime). */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);
    private static final int MAX_TOKEN_BYTES = 64 * 1024;

    private final TokenSource source;
    private final Map<String, String> env;
    private final Clock clock;
    private String token;
    /** The file's mtime and size when {@link #token} was read from it. */
    private FileTime readMtime;
    private long readSize = -1;
    /** When a command's token must be replaced; null: until a 401. */
    private Instant renewAt;

    public BearerAuth(TokenSource source, Map<String, String> env) {
        this(source, env, Clock.systemDefaultZone());
    }

    BearerAuth(TokenSource source, Map<String, String> env, Clock clock) {
        this.source = source;
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    @Override
    public void authenticate(HttpRequest.Builder request, URI uri, boolean freshToken)
            throws AuthenticationException {
        request.setHeader("Authorization", "Bearer " + token(uri.getScheme() + "://" + uri.getAuthority(),
                freshToken));
    }

    /**
     * A 401 to a request that carried the token: read the source again and resend. Not for an environment
     * variable, which cannot change inside the running kernel.
     */
    @Override
    public boolean canAnswer(HttpResponse<?> response) {
        return response.statusCode() == 401 && !(source instanceof TokenSource.Env);
    }

    @Override
    public String refusal(String server, String said) {
        return server + " refused the bearer token from " + source.describe() + " (" + said + ")"
                + (source instanceof TokenSource.Env ? "" : " even after reading it again") + ": " + source.remedy();
    }

    /** The token for a request to {@code endpoint}, read again from the source when {@code fresh}. */
    synchronized String token(String endpoint, boolean fresh) throws AuthenticationException {
        if (source instanceof TokenSource.Env e) {
            if (token == null) {
                token = checked(env.get(e.variable()), endpoint);
            }
        } else if (source instanceof TokenSource.File f) {
            readFile(f, endpoint, fresh);
        } else if (source instanceof TokenSource.Command c) {
            if (fresh || token == null || renewAt != null && !clock.instant().isBefore(renewAt)) {
                runCommand(c, endpoint);
            }
        }
        return token;
    }

    private void readFile(TokenSource.File f, String endpoint, boolean fresh) throws AuthenticationException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(f.path(), BasicFileAttributes.class);
            if (!fresh && token != null && attributes.lastModifiedTime().equals(readMtime)
                    && attributes.size() == readSize) {
                return;
            }
            if (attributes.size() > MAX_TOKEN_BYTES) {
                throw failure(endpoint, source.describe() + " is " + attributes.size() + " bytes, too big for a"
                        + " token: does the key name the right file?");
            }
            token = checked(Files.readString(f.path(), StandardCharsets.UTF_8), endpoint);
            readMtime = attributes.lastModifiedTime();
            readSize = attributes.size();
            LOG.fine(() -> "read the bearer token from " + source.describe());
        } catch (NoSuchFileException e) {
            throw failure(endpoint, source.describe() + " does not exist: write the token to it, or correct the key");
        } catch (IOException e) {
            throw failure(endpoint, "cannot read " + source.describe() + ": " + e.getClass().getSimpleName());
        }
    }

    private void runCommand(TokenSource.Command c, String endpoint) throws AuthenticationException {
        Process process;
        try {
            // No shell, nothing on stdin; stderr is dropped unread, since it may echo the token.
            process = new ProcessBuilder(c.argv()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw failure(endpoint, "cannot run " + source.describe() + ": is " + c.argv().get(0)
                    + " installed and on the kernel's PATH?");
        }
        FutureTask<byte[]> output = new FutureTask<>(() -> process.getInputStream().readNBytes(MAX_TOKEN_BYTES));
        Thread reader = new Thread(output, "bearer-token-command");
        reader.setDaemon(true);
        reader.start();
        byte[] printed;
        try {
            if (!process.waitFor(c.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw failure(endpoint, source.describe() + " did not finish within " + c.timeout().toSeconds()
                        + " s: run it in a terminal to see why (it may wait for a login)");
            }
            if (process.exitValue() != 0) {
                throw failure(endpoint, source.describe() + " failed with exit status " + process.exitValue()
                        + ": run it in a terminal to see why (a login may have expired)");
            }
            printed = output.get(c.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(endpoint, "interrupted while running " + source.describe());
        } catch (ExecutionException | TimeoutException e) {
            throw failure(endpoint, "cannot read the output of " + source.describe());
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        Instant now = clock.instant();
        IssuedToken issued;
        try {
            issued = IssuedToken.parse(new String(printed, StandardCharsets.UTF_8), now, clock.getZone());
        } catch (IllegalArgumentException e) {
            throw failure(endpoint, source.describe() + " " + e.getMessage());
        }
        token = checked(issued.token(), endpoint);
        renewAt = renewal(issued.expiresAt(), now);
        LOG.fine(() -> "ran " + source.describe() + (renewAt == null ? "" : "; its token is renewed at " + renewAt));
    }

    /** Shortly before {@code expiresAt}: the margin, or half the remaining lifetime when that is shorter. */
    static Instant renewal(Instant expiresAt, Instant now) {
        if (expiresAt == null) {
            return null;
        }
        Duration left = Duration.between(now, expiresAt);
        Duration margin = left.dividedBy(2).compareTo(EXPIRY_MARGIN) < 0 ? left.dividedBy(2) : EXPIRY_MARGIN;
        return expiresAt.minus(margin.isNegative() ? Duration.ZERO : margin);
    }

    /** The token without surrounding whitespace; refused (without showing it) when a header cannot carry it. */
    private String checked(String raw, String endpoint) throws AuthenticationException {
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            throw failure(endpoint, source.describe() + (raw == null ? " is not set" : " gave an empty token"));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw failure(endpoint, "the token from " + source.describe() + " holds a line break, a space or"
                        + " another character an HTTP header cannot carry (at position " + (i + 1) + "): it must be"
                        + " the token alone");
            }
        }
        return value;
    }

    private static AuthenticationException failure(String endpoint, String message) {
        return new AuthenticationException(endpoint, message, null);
    }

    @Override
    public String toString() {
        return "BearerAuth[" + source.describe() + "]";
    }
}
