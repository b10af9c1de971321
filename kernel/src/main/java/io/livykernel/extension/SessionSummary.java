package io.livykernel.extension;

/** One Livy session as magics show it (%%info, %attach, %%cleanup). */
public record SessionSummary(String id, String name, String appId, String kind, String state, String owner,
                             String proxyUser, String sparkUiUrl, String driverLogUrl) {

    /** Who the session runs as: its proxy user, else its owner. */
    public String user() {
        return proxyUser != null && !proxyUser.isEmpty() ? proxyUser : owner;
    }
}
