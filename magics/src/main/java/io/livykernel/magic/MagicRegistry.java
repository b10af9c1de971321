package io.livykernel.magic;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The kernel's magics by name, with did-you-mean suggestions for names that are not there. */
public final class MagicRegistry {
    private final Map<String, MagicCommand> byName = new LinkedHashMap<>();

    public MagicRegistry(List<MagicCommand> commands) {
        commands.forEach(c -> byName.put(c.name(), c));
    }

    /** Every magic this kernel ships. */
    public static MagicRegistry standard() {
        MagicRegistry registry = new MagicRegistry(List.of());
        registry.register(new HelpMagic(registry));
        registry.register(new LocalMagic());
        return registry;
    }

    private void register(MagicCommand command) {
        byName.put(command.name(), command);
    }

    public Optional<MagicCommand> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<MagicCommand> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /** Known names closest to {@code name}: edit distance of at most 2, or sharing a prefix of 3. */
    public List<String> suggestions(String name) {
        return byName.keySet().stream()
                .filter(known -> distance(known, name) <= 2
                        || (name.length() >= 3 && (known.startsWith(name) || name.startsWith(known))))
                .sorted(Comparator.comparingInt(known -> distance(known, name)))
                .toList();
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
