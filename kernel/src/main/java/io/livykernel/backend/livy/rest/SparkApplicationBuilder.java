package io.livykernel.backend.livy.rest;

import java.util.List;
import java.util.Map;

/**
 * The fields that POST /sessions and POST /batches share (Livy names them alike in both requests), collected
 * for {@link CreateSessionRequest.Builder} and {@link CreateBatchRequest.Builder}. Every field starts unset
 * (null), which leaves it out of the JSON so that Livy applies its own default.
 *
 * @param <B> the concrete builder, returned by every setter so that calls chain
 */
public abstract class SparkApplicationBuilder<B extends SparkApplicationBuilder<B>> {
    String proxyUser;
    List<String> jars;
    List<String> pyFiles;
    List<String> files;
    String driverMemory;
    Integer driverCores;
    String executorMemory;
    Integer executorCores;
    Integer numExecutors;
    List<String> archives;
    String queue;
    String name;
    Map<String, String> conf;

    SparkApplicationBuilder() {
    }

    abstract B self();

    public B proxyUser(String value) {
        proxyUser = value;
        return self();
    }

    public B jars(List<String> value) {
        jars = value;
        return self();
    }

    public B pyFiles(List<String> value) {
        pyFiles = value;
        return self();
    }

    public B files(List<String> value) {
        files = value;
        return self();
    }

    public B driverMemory(String value) {
        driverMemory = value;
        return self();
    }

    public B driverCores(Integer value) {
        driverCores = value;
        return self();
    }

    public B executorMemory(String value) {
        executorMemory = value;
        return self();
    }

    public B executorCores(Integer value) {
        executorCores = value;
        return self();
    }

    public B numExecutors(Integer value) {
        numExecutors = value;
        return self();
    }

    public B archives(List<String> value) {
        archives = value;
        return self();
    }

    public B queue(String value) {
        queue = value;
        return self();
    }

    public B name(String value) {
        name = value;
        return self();
    }

    public B conf(Map<String, String> value) {
        conf = value;
        return self();
    }
}
