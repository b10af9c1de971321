package io.livykernel.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who a YARN application belongs to, in its tags ({@code spark.yarn.tags}): the user, the notebook (or the batch
 * job) and the platform's own tag, so that a platform team finds every application of a user or notebook with
 * {@code yarn application -list -appStates ALL -appTags livy-kernel-user:alice}. YARN keeps tags lower-case,
 * without commas, at most 100 characters each; tags the request already has are kept.
 *
 * @param user     the notebook's user (JUPYTERHUB_USER or the OS user); null when unknown
 * @param source   the notebook's path (from the frontend) or the kernel id, or the batch job's name
 * @param platform the platform's tag from {@code livy.session.tags}, e.g. "team-ml"; null for none
 */
public record AccountingTags(String user, String source, String platform) {
    public static final String TAGS = "spark.yarn.tags";
    static final String PREFIX = "livy-kernel-";
    private static final int MAX_TAG = 100;

    /** The tags, each as YARN will store it. */
    public List<String> tags() {
        List<String> tags = new ArrayList<>();
        tags.add(PREFIX.substring(0, PREFIX.length() - 1));
        if (user != null && !user.isBlank()) {
            tags.add(clean(PREFIX + "user:" + user));
        }
        if (source != null && !source.isBlank()) {
            tags.add(clean(PREFIX + "source:" + source));
        }
        if (platform != null && !platform.isBlank()) {
            tags.add(clean(platform));
        }
        return tags;
    }

    /** A copy of the request with these tags added to any it has. */
    public JsonObject applyTo(JsonObject request) {
        JsonObject tagged = request.deepCopy();
        JsonObject conf = tagged.has("conf") && tagged.get("conf").isJsonObject() ? tagged.getAsJsonObject("conf")
                : new JsonObject();
        Set<String> all = new LinkedHashSet<>();
        JsonElement existing = conf.get(TAGS);
        if (existing != null && existing.isJsonPrimitive()) {
            for (String tag : existing.getAsString().split(",")) {
                if (!tag.isBlank()) {
                    all.add(tag.strip());
                }
            }
        }
        all.addAll(tags());
        conf.addProperty(TAGS, String.join(",", all));
        tagged.add("conf", conf);
        return tagged;
    }

    /** The shell line that lists this user's applications, for the README and %%info. */
    public String findCommand() {
        return "yarn application -list -appStates ALL -appTags " + clean(PREFIX + "user:" + (user == null ? "" : user));
    }

    private static String clean(String tag) {
        String lower = tag.toLowerCase(Locale.ROOT).replace(',', '_').replaceAll("\\s+", "_");
        return lower.length() <= MAX_TAG ? lower : lower.substring(0, MAX_TAG);
    }
}
