package io.livykernel.analyze.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code applications/{id}/sql?details=true&planDescription=true}: one SQL execution (a DataFrame action) with its
 * plan graph. Edges run from a child node to the node that consumes its rows.
 */
public record SqlExecution(long id, String status, String description, String planDescription,
                           String submissionTime, long duration, List<Long> runningJobIds, List<Long> successJobIds,
                           List<Long> failedJobIds, List<Node> nodes, List<Edge> edges) {

    /** One operator of the plan; Spark formats its metric values for people ("1,024", "3.2 MiB", "total (...)"). */
    public record Node(long nodeId, String nodeName, List<Metric> metrics) {

        public boolean named(String prefix) {
            return nodeName != null && nodeName.startsWith(prefix);
        }

        public boolean has(String metric) {
            return metrics != null && metrics.stream().anyMatch(m -> metric.equals(m.name()));
        }

        /** The metric's total as a number (bytes for sizes, ms for times), or -1 when the node lacks it. */
        public double value(String metric) {
            if (metrics == null) {
                return -1;
            }
            return metrics.stream().filter(m -> metric.equals(m.name())).findFirst()
                    .map(m -> parse(m.value())).orElse(-1.0);
        }
    }

    public record Metric(String name, String value) {
    }

    public record Edge(long fromId, long toId) {
    }

    private static final Pattern AMOUNT = Pattern.compile("(-?[0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(B|KiB|MiB|GiB|TiB|PiB"
            + "|ms|s|m|h)?\\b");

    /**
     * The total of a formatted metric: a task metric reads "total (min, med, max (stageId: taskId))\n3.2 MiB (...)",
     * a driver metric just "3.2 MiB" or "1,024"; -1 when no figure is found.
     */
    static double parse(String text) {
        if (text == null) {
            return -1;
        }
        String body = text.startsWith("total") && text.contains("\n") ? text.substring(text.indexOf('\n') + 1) : text;
        Matcher m = AMOUNT.matcher(body.trim());
        if (!m.lookingAt()) {
            return -1;
        }
        double number = Double.parseDouble(m.group(1).replace(",", ""));
        String unit = m.group(2) == null ? "" : m.group(2);
        return number * switch (unit.toLowerCase(Locale.ROOT)) {
            case "kib" -> 1024d;
            case "mib" -> 1024d * 1024;
            case "gib" -> 1024d * 1024 * 1024;
            case "tib" -> 1024d * 1024 * 1024 * 1024;
            case "pib" -> 1024d * 1024 * 1024 * 1024 * 1024;
            case "s" -> 1000d;
            case "m" -> 60_000d;
            case "h" -> 3_600_000d;
            default -> 1d;
        };
    }

    public List<Node> plan() {
        return nodes == null ? List.of() : nodes;
    }

    /** Every job the execution ran, whatever its outcome. */
    public List<Long> jobIds() {
        List<Long> all = new ArrayList<>();
        for (List<Long> ids : List.of(ids(runningJobIds), ids(successJobIds), ids(failedJobIds))) {
            all.addAll(ids);
        }
        return all;
    }

    /** The nodes that feed {@code node} directly. */
    public List<Node> children(Node node) {
        if (edges == null) {
            return List.of();
        }
        List<Node> out = new ArrayList<>();
        for (Edge e : edges) {
            if (e.toId() == node.nodeId()) {
                plan().stream().filter(n -> n.nodeId() == e.fromId()).findFirst().ifPresent(out::add);
            }
        }
        return out;
    }

    /** The nearest node at or below {@code node} (breadth first) that reports {@code metric}, or null. */
    public Node nearestWith(Node node, String metric) {
        List<Node> level = List.of(node);
        for (int depth = 0; depth < 50 && !level.isEmpty(); depth++) {
            for (Node n : level) {
                if (n.has(metric)) {
                    return n;
                }
            }
            List<Node> next = new ArrayList<>();
            level.forEach(n -> next.addAll(children(n)));
            level = next;
        }
        return null;
    }

    private static List<Long> ids(List<Long> ids) {
        return ids == null ? List.of() : ids;
    }
}
