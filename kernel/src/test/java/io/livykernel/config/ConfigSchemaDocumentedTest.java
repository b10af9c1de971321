package io.livykernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every key the configuration file may hold is documented in the README (and only checked keys exist). */
class ConfigSchemaDocumentedTest {
    @Test
    void everyKeyOfTheSchemaIsNamedInTheReadme() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));

        List<String> missing = ConfigSchema.ours().stream()
                .filter(k -> k.kind() != ConfigSchema.Kind.SECTION)
                .map(ConfigSchema.Key::name)
                .filter(name -> !readme.contains("`" + name + "`") && !readme.contains("." + name + "`")
                        && !readme.contains("\"" + name + "\""))
                .toList();

        assertEquals(List.of(), missing, "keys the README does not document");
    }
}
