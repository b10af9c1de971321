package io.livykernel.backend.livy.rest;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A loopback HTTP server standing in for Livy. Each test installs a {@link Handler}; every request is
 * recorded before the handler sees it. Faults: {@link #dropConnection()} closes the connection without an
 * answer, a handler that sleeps outlasts the client's timeout.
 */
public final class FakeLivy implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Handler handler = (request, exchange) -> reply(exchange, 404, "{\"msg\":\"no handler\"}");

    /** A recorded request; header names are as com.sun.net.httpserver normalises them (e.g. "X-requested-by"). */
    public record Request(String method, String path, String query, Headers headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.getFirst(name);
        }

        String pathAndQuery() {
            return query == null ? path : path + "?" + query;
        }
    }

    @FunctionalInterface
    public interface Handler {
        void handle(Request request, HttpExchange exchange) throws Exception;
    }

    /** Makes the server close the connection without answering (the client sees it end before a response). */
    static final class DropConnection extends RuntimeException {
        DropConnection() {
            super("dropping the connection on purpose", null, false, false);
        }
    }

    public FakeLivy() throws IOException {
        this(null);
    }

    /** An HTTPS server when {@code tls} is given. */
    FakeLivy(SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), copy(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes());
            requests.add(request);
            try {
                handler.handle(request, exchange);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DropConnection();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        server.start();
    }

    public URI url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    public void handle(Handler newHandler) {
        handler = newHandler;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public long count(String method, String pathAndQueryPrefix) {
        return requests.stream()
                .filter(r -> r.method().equals(method) && r.pathAndQuery().startsWith(pathAndQueryPrefix))
                .count();
    }

    public static void reply(HttpExchange exchange, int status, String body) throws IOException {
        reply(exchange, status, "application/json;charset=utf-8", body);
    }

    public static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        // Like Livy (Jetty), answer and close: no pooled connection outlives a test's fault.
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Answers with a recorded Livy response: its status, content type and exact body. */
    static void replySample(HttpExchange exchange, String sampleName) throws IOException {
        LivySamples.Exchange sample = LivySamples.exchange(sampleName);
        reply(exchange, sample.status(), sample.contentType(), sample.body());
    }

    public static RuntimeException dropConnection() {
        return new DropConnection();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static Headers copy(Headers headers) {
        Headers copy = new Headers();
        headers.forEach(copy::put);
        return copy;
    }
}
