package io.livykernel.config;

/** The configuration cannot be used; the message names the file and what to fix. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
