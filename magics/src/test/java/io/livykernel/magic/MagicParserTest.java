package io.livykernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MagicParserTest {

    @Test
    void cellMagicHasNameArgumentsAndTheRestOfTheCellAsBody() {
        ParsedMagic m = parse("%%sql -o result 'select 1'\nSELECT *\nFROM t");

        assertEquals("sql", m.name());
        assertTrue(m.cellMagic());
        assertEquals(List.of("-o", "result", "select 1"), m.arguments());
        assertEquals("SELECT *\nFROM t", m.body());
        assertEquals("%%sql", m.written());
    }

    @Test
    void lineMagicHasItsArgumentsAndNoBody() {
        ParsedMagic m = parse("%matplot plt");

        assertEquals("matplot", m.name());
        assertFalse(m.cellMagic());
        assertEquals(List.of("plt"), m.arguments());
        assertEquals("", m.body());
        assertEquals("%matplot", m.written());
    }

    @Test
    void leadingBlankLinesAreSkipped() {
        ParsedMagic m = parse("\n   \n\t\n%%local\nx = 1");

        assertEquals("local", m.name());
        assertEquals("x = 1", m.body());
    }

    @Test
    void argumentsSplitLikeAShell() {
        assertEquals(List.of("a", "b c", "d e", "f g", "h\"i", "j\\k", ""),
                MagicParser.split("a \"b c\" 'd e' f\\ g \"h\\\"i\" 'j\\k' \"\""));
    }

    @Test
    void unclosedQuoteIsAnErrorThatSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MagicParser.split("-o 'result"));

        assertTrue(e.getMessage().contains("unclosed"), e.getMessage());
    }

    @Test
    void ordinaryCodeIsNotAMagic() {
        for (String code : new String[] {"x = 10 % 3", "print('%%local')", "# %%local", "", "\n\n"}) {
            assertTrue(MagicParser.parse(code).isEmpty(), code);
        }
    }

    @Test
    void doublePercentWithoutANameIsAMagicWithAnEmptyName() {
        ParsedMagic m = parse("%% local\nx = 1");

        assertEquals("", m.name());
        assertTrue(m.cellMagic());
        assertEquals(List.of("local"), m.arguments());
    }

    private static ParsedMagic parse(String code) {
        return MagicParser.parse(code).orElseThrow(() -> new AssertionError("not parsed as a magic: " + code));
    }
}
