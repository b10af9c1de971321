package io.livykernel.backend.livy.rest;

import com.google.gson.JsonObject;
import java.util.List;

/** One page of GET /batches (Livy names the array "sessions" here too). */
public record BatchList(int from, int total, List<LivyBatch> batches) {
    public BatchList {
        batches = batches == null ? List.of() : List.copyOf(batches);
    }

    static BatchList fromJson(JsonObject o) {
        return new BatchList(JsonFields.integer(o, "from", 0), JsonFields.integer(o, "total", 0),
                JsonFields.objects(o, o.has("sessions") ? "sessions" : "applications", LivyBatch::fromJson));
    }
}
