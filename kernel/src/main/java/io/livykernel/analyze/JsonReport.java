package io.livykernel.analyze;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * The report as JSON for schedulers and scripts. Layout (schemaVersion 1; fields are only added within a version):
 * <pre>
 * { "schemaVersion": 1, "appId", "appName", "source", "sparkVersion", "completed", "durationMs",
 *   "worstSeverity": "none|low|moderate|severe|critical",
 *   "findings": [ { "heuristic", "title", "severity", "summary", "figures": [{"name","value"}], "details": [..],
 *                   "advice": [{"setting" (or null), "value" (or null), "why"}], "stageIds": [..], "jobGroups": [..] } ],
 *   "notComputed": [ {"heuristic", "title", "reason"} ], "unavailable": [ {"resource", "reason"} ],
 *   "stages": [ {"stageId", "attemptId", "name", "status", "numTasks", "wallClockMs", "maxTaskMs", "medianTaskMs",
 *                "jobGroup", "severity"} ],
 *   "resourceUsage": what the cluster accounted for the application (policy.ResourceUsage#toJson: "source" says
 *                    resourceManager, sparkExecutors or none), or null when not read }
 * </pre>
 */
public final class JsonReport {
    private JsonReport() {
    }

    public static JsonObject toJson(Report r) {
        JsonObject root = new JsonObject();
        root.addProperty("schemaVersion", Report.SCHEMA_VERSION);
        root.addProperty("appId", r.appId());
        root.addProperty("appName", r.appName());
        root.addProperty("source", r.source());
        root.addProperty("sparkVersion", r.sparkVersion());
        root.addProperty("completed", r.completed());
        root.addProperty("durationMs", r.durationMs());
        root.addProperty("worstSeverity", r.worst().label());
        JsonArray findings = new JsonArray();
        for (Finding f : r.findings()) {
            JsonObject o = new JsonObject();
            o.addProperty("heuristic", f.heuristic());
            o.addProperty("title", f.title());
            o.addProperty("severity", f.severity().label());
            o.addProperty("summary", f.summary());
            JsonArray figures = new JsonArray();
            f.figures().forEach(fig -> figures.add(pair("name", fig.name(), "value", fig.value())));
            o.add("figures", figures);
            JsonArray details = new JsonArray();
            f.details().forEach(details::add);
            o.add("details", details);
            JsonArray advice = new JsonArray();
            for (Finding.Advice a : f.advice()) {
                JsonObject ao = pair("setting", a.setting(), "value", a.value());
                ao.addProperty("why", a.why());
                advice.add(ao);
            }
            o.add("advice", advice);
            JsonArray stages = new JsonArray();
            f.stageIds().forEach(stages::add);
            o.add("stageIds", stages);
            JsonArray groups = new JsonArray();
            f.jobGroups().forEach(groups::add);
            o.add("jobGroups", groups);
            findings.add(o);
        }
        root.add("findings", findings);
        JsonArray skipped = new JsonArray();
        r.notComputed().forEach(n -> {
            JsonObject o = pair("heuristic", n.heuristic(), "title", n.title());
            o.addProperty("reason", n.reason());
            skipped.add(o);
        });
        root.add("notComputed", skipped);
        JsonArray missing = new JsonArray();
        r.unavailable().forEach(u -> missing.add(pair("resource", u.resource(), "reason", u.reason())));
        root.add("unavailable", missing);
        JsonArray stages = new JsonArray();
        for (Report.StageTiming s : r.stages()) {
            JsonObject o = new JsonObject();
            o.addProperty("stageId", s.stageId());
            o.addProperty("attemptId", s.attemptId());
            o.addProperty("name", s.name());
            o.addProperty("status", s.status());
            o.addProperty("numTasks", s.numTasks());
            o.addProperty("wallClockMs", s.wallClockMs());
            o.addProperty("maxTaskMs", s.maxTaskMs());
            o.addProperty("medianTaskMs", s.medianTaskMs());
            o.addProperty("jobGroup", s.jobGroup());
            o.addProperty("severity", s.severity().label());
            stages.add(o);
        }
        root.add("stages", stages);
        root.add("resourceUsage", r.usage() == null ? JsonNull.INSTANCE : r.usage().toJson());
        return root;
    }

    public static String render(Report r) {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create()
                .toJson(toJson(r));
    }

    private static JsonObject pair(String k1, String v1, String k2, String v2) {
        JsonObject o = new JsonObject();
        o.addProperty(k1, v1);
        o.addProperty(k2, v2);
        return o;
    }
}
