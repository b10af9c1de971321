package io.livykernel.magic;

import io.livykernel.config.Spelling;
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
        registry.register(new ConfigureMagic());
        registry.register(new InfoMagic());
        registry.register(new LogsMagic());
        registry.register(new AttachMagic());
        registry.register(new DetachMagic());
        registry.register(new DeleteMagic());
        registry.register(new CleanupMagic());
        registry.register(StatementKindMagic.scala());
        registry.register(StatementKindMagic.sparkR());
        registry.register(new UploadMagic());
        registry.register(new SqlMagic());
        registry.register(new SendToSparkMagic());
        registry.register(new AnalyzeMagic());
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

    /**
     * Known names close to {@code name}: one typo away (two for names of six letters or more), or sharing a
     * prefix of at least three letters.
     */
    public List<String> suggestions(String name) {
        int allowed = name.length() >= 6 ? 2 : 1;
        return byName.keySet().stream()
                .filter(known -> distance(known, name) <= allowed
                        || (name.length() >= 3 && (known.startsWith(name) || name.startsWith(known))))
                .sorted(Comparator.comparingInt(known -> distance(known, name)))
                .toList();
    }

    /** Edit distance where swapping two neighbouring letters ("hlep") counts as one typo. */
    static int distance(String a, String b) {
        return Spelling.distance(a, b);
    }
}
