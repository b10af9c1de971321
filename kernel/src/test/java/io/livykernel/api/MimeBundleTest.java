package io.livykernel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.Test;

class MimeBundleTest {

    @Test
    void dataMapCannotBeModified() {
        MimeBundle bundle = MimeBundle.text("hello");

        assertThrows(UnsupportedOperationException.class,
                () -> bundle.data().put("text/html", new JsonPrimitive("<b>x</b>")));
    }

    @Test
    void builderUsedAfterBuildDoesNotChangeTheBuiltBundle() {
        MimeBundle.Builder builder = MimeBundle.builder().text("first");
        MimeBundle built = builder.build();

        builder.html("<b>later</b>").text("second");

        assertEquals(json("{'text/plain': 'first'}"), built.toJson());
    }

    @Test
    void toJsonReturnsACopyThatCanBeChangedFreely() {
        MimeBundle bundle = MimeBundle.fromJson(json("{'application/json': {'rows': [1, 2]}, 'text/plain': 'x'}"));

        JsonObject out = bundle.toJson();
        out.remove("text/plain");
        out.getAsJsonObject("application/json").addProperty("rows", "gone");

        assertEquals(json("{'application/json': {'rows': [1, 2]}, 'text/plain': 'x'}"), bundle.toJson());
    }

    @Test
    void fromJsonCopiesItsInput() {
        JsonObject source = json("{'application/json': {'a': 1}}");
        MimeBundle bundle = MimeBundle.fromJson(source);

        source.getAsJsonObject("application/json").addProperty("a", 2);
        source.addProperty("text/plain", "added");

        assertEquals(json("{'application/json': {'a': 1}}"), bundle.toJson());
    }

    @Test
    void plainTextIsTheTextPlainEntryOrNull() {
        assertEquals("hi", MimeBundle.textAndHtml("hi", "<i>hi</i>").plainText());
        assertNull(MimeBundle.builder().html("<i>hi</i>").build().plainText());
    }

    @Test

    void jsonValuePutIntoTheBuilderIsCopied() {
        JsonObject table = json("{'rows': 1}");
        MimeBundle bundle = MimeBundle.builder().put("application/json", table).build();

        table.addProperty("rows", 2);

        assertEquals(json("{'application/json': {'rows': 1}}"), bundle.toJson());
    }

    private static JsonObject json(String singleQuoted) {
        return JsonParser.parseString(singleQuoted.replace('\'', '"')).getAsJsonObject();
    }
}
