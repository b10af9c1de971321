package io.livykernel.analyze;

import java.util.ArrayList;
import java.util.List;

/**
 * What one heuristic found: how bad, in one sentence, the figures it rests on, the advice (Spark settings with
 * suggested values), and where (stage ids and the job groups, i.e. Livy statements / notebook cells).
 */
public record Finding(String heuristic, String title, Severity severity, String summary, List<Figure> figures,
                      List<String> details, List<Advice> advice, List<Integer> stageIds, List<String> jobGroups) {

    /** A number the finding rests on, already formatted for people ("1.2 GiB", "0.18"). */
    public record Figure(String name, String value) {
    }

    /**
     * One piece of advice: set {@code setting} to {@code value} because {@code why}. {@code setting} is null for
     * advice about the code rather than the configuration.
     */
    public record Advice(String setting, String value, String why) {
    }

    public static Builder of(Heuristic heuristic) {
        return new Builder(heuristic.id(), heuristic.title());
    }

    /** Collects a finding's parts while a heuristic works. */
    public static final class Builder {
        private final String heuristic;
        private final String title;
        private Severity severity = Severity.NONE;
        private String summary = "";
        private final List<Figure> figures = new ArrayList<>();
        private final List<String> details = new ArrayList<>();
        private final List<Advice> advice = new ArrayList<>();
        private final List<Integer> stageIds = new ArrayList<>();
        private final List<String> jobGroups = new ArrayList<>();

        private Builder(String heuristic, String title) {
            this.heuristic = heuristic;
            this.title = title;
        }

        /** Raises the severity to {@code s} (never lowers it). */
        public Builder severity(Severity s) {
            severity = Severity.max(severity, s);
            return this;
        }

        public Severity severity() {
            return severity;
        }

        public Builder summary(String text) {
            summary = text;
            return this;
        }

        public Builder figure(String name, String value) {
            figures.add(new Figure(name, value));
            return this;
        }

        public Builder detail(String line) {
            details.add(line);
            return this;
        }

        public Builder advise(String setting, String value, String why) {
            advice.add(new Advice(setting, value, why));
            return this;
        }

        public Builder adviseCode(String why) {
            return advise(null, null, why);
        }

        public Builder stage(int stageId, String jobGroup) {
            if (!stageIds.contains(stageId)) {
                stageIds.add(stageId);
            }
            if (jobGroup != null && !jobGroups.contains(jobGroup)) {
                jobGroups.add(jobGroup);
            }
            return this;
        }

        public Finding build() {
            return new Finding(heuristic, title, severity, summary, List.copyOf(figures), List.copyOf(details),
                    severity == Severity.NONE ? List.of() : List.copyOf(advice), List.copyOf(stageIds),
                    List.copyOf(jobGroups));
        }
    }
}
