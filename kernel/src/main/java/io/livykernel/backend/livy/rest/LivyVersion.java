package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;

/** GET /version: the server's build, e.g. version "0.10.0-incubating-SNAPSHOT". */
public record LivyVersion(String version, String revision, String branch, String date, String user, String url) {
    static LivyVersion fromJson(JsonObject o) {
        return new LivyVersion(JsonFields.string(o, "version"), JsonFields.string(o, "revision"),
                JsonFields.string(o, "branch"), JsonFields.string(o, "date"), JsonFields.string(o, "user"),
                JsonFields.string(o, "url"));
    }
}
