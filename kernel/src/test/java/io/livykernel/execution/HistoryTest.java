package io.livykernel.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** history_request answers, in the wire shape [[session, line, input], ...] or [[session, line, [input, output]], ...]. */
class HistoryTest {
    private final History history = new History();

    @Test
    void tailReturnsTheLastNCellsOldestFirst() {
        record("a = 1", "print(a)", "a + 1");

        assertEquals(json("[[1,2,'print(a)'],[1,3,'a + 1']]"), history.tail(2, false));
        assertEquals(json("[[1,1,'a = 1'],[1,2,'print(a)'],[1,3,'a + 1']]"), history.tail(50, false));
    }

    @Test
    void rangeIsFromStartToStopExclusiveAndStopZeroMeansToTheEnd() {
        record("l1", "l2", "l3", "l4");

        assertEquals(json("[[1,2,'l2'],[1,3,'l3']]"), history.range(0, 2, 4, false));
        assertEquals(json("[[1,3,'l3'],[1,4,'l4']]"), history.range(1, 3, 0, false));
    }

    @Test
    void rangeOfAnotherSessionIsEmpty() {
        record("l1");

        assertEquals(new JsonArray(), history.range(2, 1, 0, false));
    }

    @Test
    void searchMatchesTheWholeInputAgainstAGlob() {
        record("102 + 1", "12", "1x2", "2 + 112", "112");

        assertEquals(json("[[1,1,'102 + 1'],[1,3,'1x2'],[1,5,'112']]"), history.search("1?2*", 0, false, false));
    }

    @Test
    void searchUniqueKeepsTheNewestOfEqualInputs() {
        record("x", "y", "x", "z");

        assertEquals(json("[[1,2,'y'],[1,3,'x'],[1,4,'z']]"), history.search("*", 0, true, false));
    }

    @Test
    void searchWithNReturnsTheLatestNMatches() {
        record("df.count()", "x = 1", "df.show()", "df.head()");

        assertEquals(json("[[1,3,'df.show()'],[1,4,'df.head()']]"), history.search("df.*", 2, false, false));
    }

    @Test
    void withOutputPairsInputWithItsResultOrNull() {
        history.add(1, "x = 1", null);
        history.add(2, "x", "1");

        assertEquals(json("[[1,1,['x = 1',null]],[1,2,['x','1']]]"), history.tail(10, true));
    }

    @Test

    void searchWithABracketClassMatchingALiteralBracketFindsIt() {
        record("df[0]", "df.show()");

        assertEquals(json("[[1,1,'df[0]']]"), history.search("*[[]*", 0, false, false));
    }

    private void record(String... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            history.add(i + 1, inputs[i], null);
        }
    }

    private static JsonArray json(String singleQuoted) {
        return JsonParser.parseString(singleQuoted.replace('\'', '"')).getAsJsonArray();
    }
}
