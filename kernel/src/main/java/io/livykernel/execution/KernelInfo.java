package io.livykernel.execution;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.livykernel.messages.Header;

/** The kernel_info_reply: who we are and the language cells are written in (Python, as PySpark). */
public record KernelInfo(String implementationVersion) {

    JsonObject toReply(String backendDescription) {
        JsonObject r = new JsonObject();
        r.addProperty("status", "ok");
        r.addProperty("protocol_version", Header.PROTOCOL_VERSION);
        r.addProperty("implementation", "livy-kernel");
        r.addProperty("implementation_version", implementationVersion);
        JsonObject language = new JsonObject();
        language.addProperty("name", "python");
        language.addProperty("version", "3");
        language.addProperty("mimetype", "text/x-python");
        language.addProperty("file_extension", ".py");
        language.addProperty("pygments_lexer", "ipython3");
        JsonObject codemirror = new JsonObject();
        codemirror.addProperty("name", "ipython");
        codemirror.addProperty("version", 3);
        language.add("codemirror_mode", codemirror);
        language.addProperty("nbconvert_exporter", "python");
        r.add("language_info", language);
        r.addProperty("banner", "livy-kernel " + implementationVersion + ": PySpark on a remote Spark driver"
                + " through Apache Livy.\nBackend: " + backendDescription + "\nType %%help for the magics.");
        JsonArray links = new JsonArray();
        links.add(link("PySpark API", "https://spark.apache.org/docs/latest/api/python/"));
        links.add(link("Apache Livy REST API", "https://livy.apache.org/docs/latest/rest-api.html"));
        r.add("help_links", links);
        r.addProperty("debugger", false);
        return r;
    }

    private static JsonObject link(String text, String url) {
        JsonObject o = new JsonObject();
        o.addProperty("text", text);
        o.addProperty("url", url);
        return o;
    }
}
