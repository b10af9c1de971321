package io.livykernel.analyze;

import com.google.gson.JsonObject;

/**
 * What an application took from its cluster, as a report shows it next to the Spark metrics: one line for people
 * that names where the figures came from (or why there are none), and the same as JSON. Made by the caller
 * (the platform's accounting, {@code policy.ResourceUsage}); the analyser only shows it.
 */
public interface ClusterUsage {
    String line();

    JsonObject toJson();
}
