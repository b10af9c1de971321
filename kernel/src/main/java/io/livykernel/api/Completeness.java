package io.livykernel.api;

/** is_complete_reply: whether a console should run the code or wait for another line. */
public record Completeness(Status status, String indent) {
    public enum Status {
        COMPLETE, INCOMPLETE, INVALID, UNKNOWN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Completeness complete() {
        return new Completeness(Status.COMPLETE, "");
    }

    public static Completeness incomplete(String indent) {
        return new Completeness(Status.INCOMPLETE, indent);
    }

    public static Completeness invalid() {
        return new Completeness(Status.INVALID, "");
    }
}
