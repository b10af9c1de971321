package io.livykernel.api;

/** What inspect_request shows (shift-tab); {@code data} null means nothing was found. */
public record Inspection(MimeBundle data) {
    public static Inspection notFound() {
        return new Inspection(null);
    }

    public boolean found() {
        return data != null;
    }
}
