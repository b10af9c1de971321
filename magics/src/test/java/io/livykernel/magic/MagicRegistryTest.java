package io.livykernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MagicRegistryTest {
    private final MagicRegistry registry = MagicRegistry.standard();

    @Test
    void transposedLettersSuggestTheIntendedMagic() {
        assertEquals(List.of("help"), registry.suggestions("hlep"));
        assertEquals(List.of("local"), registry.suggestions("lcoal"));
    }

    @Test
    void aPrefixOfThreeLettersSuggestsTheMagic() {
        assertEquals(List.of("local"), registry.suggestions("loca"));
    }

    @Test
    void unrelatedNamesSuggestNothing() {
        assertTrue(registry.suggestions("frobnicate").isEmpty());
        assertTrue(registry.suggestions("matplot").isEmpty());
    }
}
