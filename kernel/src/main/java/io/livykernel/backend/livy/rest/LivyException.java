package io.livykernel.backend.livy.rest;

import java.io.IOException;

/**
 * A Livy request that did not succeed. Subclasses say why; every message names the request (method and
 * URL, never credentials) and never contains a password or an Authorization header.
 */
public class LivyException extends IOException {
    private final String endpoint;

    public LivyException(String endpoint, String message, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
    }

    /** The failed request, e.g. "GET http://livy:8998/sessions/3". */
    public String endpoint() {
        return endpoint;
    }
}
