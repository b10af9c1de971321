package io.livykernel.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP Basic authentication (a gateway such as Knox, or Livy behind one). The header is a secret. */
final class BasicAuth implements Authenticator {
    private final String header;

    BasicAuth(String username, String password) {
        this.header = "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void authenticate(HttpRequest.Builder request, URI uri, boolean freshToken) {
        request.setHeader("Authorization", header);
    }

    @Override
    public String toString() {
        return "BasicAuth[***]";
    }
}
