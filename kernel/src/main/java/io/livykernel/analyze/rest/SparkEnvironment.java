package io.livykernel.analyze.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code applications/{id}/environment}: the Spark properties the application ran with. */
public record SparkEnvironment(List<List<String>> sparkProperties) {

    public Map<String, String> properties() {
        Map<String, String> map = new LinkedHashMap<>();
        if (sparkProperties != null) {
            for (List<String> pair : sparkProperties) {
                if (pair != null && pair.size() == 2) {
                    map.put(pair.get(0), pair.get(1));
                }
            }
        }
        return map;
    }
}
