package io.livykernel.backend.livy.rest;

/** What an uploaded file becomes in the session, and the endpoint and form field Livy expects for it. */
public enum UploadKind {
    /** Added to the driver's and executors' class path. */
    JAR("upload-jar", "jar"),
    /** Added to the Python path (a .py, .zip or .egg). */
    PY_FILE("upload-pyfile", "file"),
    /** Shipped with SparkContext.addFile; read it through SparkFiles.get(name). */
    FILE("upload-file", "file");

    private final String pathSegment;
    private final String formField;

    UploadKind(String pathSegment, String formField) {
        this.pathSegment = pathSegment;
        this.formField = formField;
    }

    String pathSegment() {
        return pathSegment;
    }

    String formField() {
        return formField;
    }
}
