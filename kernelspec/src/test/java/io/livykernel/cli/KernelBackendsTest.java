package io.livykernel.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livykernel.config.ConfigException;
import io.livykernel.config.KernelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backend that cannot be built is a configuration error the cells explain, never a kernel that dies. */
class KernelBackendsTest {
    @TempDir
    Path dir;

    private ConfigException refusal(String tls) throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"),
                "{\"livy\": {\"url\": \"https://livy:8998\", \"tls\": " + tls + "}}");
        KernelConfig config = KernelConfig.load(Map.of(KernelConfig.CONFIG_ENV, file.toString()));
        return assertThrows(ConfigException.class, () -> KernelBackends.fromConfig(config, "k1", null));
    }

    @Test
    void aMissingTrustStoreIsAConfigurationErrorNamingTheKeyAndFile() throws Exception {
        Path missing = dir.resolve("absent.p12");

        String message = refusal("{\"trustStore\": \"" + missing + "\", \"trustStorePassword\": \"s3cr3t-pw\"}")
                .getMessage();

        assertTrue(message.contains("livy.tls.trustStore " + missing + " does not exist"), message);
        assertFalse(message.contains("s3cr3t-pw"), message);
    }

    @Test
    void aTrustStoreThatIsNotOneIsExplainedInOurWords() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a key store");

        String message = refusal("{\"trustStore\": \"" + garbage + "\", \"trustStorePassword\": \"s3cr3t-pw\"}")
                .getMessage();

        assertTrue(message.contains("livy.tls.trustStore " + garbage + " is not a PKCS12 trust store"), message);
        assertFalse(message.contains("s3cr3t-pw") || message.contains("Exception"), message);
    }

    @Test
    void anUnknownTrustStoreTypeIsNamed() throws Exception {
        Path store = Files.writeString(dir.resolve("store"), "x");

        String message = refusal("{\"trustStore\": \"" + store + "\", \"trustStoreType\": \"PKCS13\"}").getMessage();

        assertTrue(message.contains("livy.tls.trustStoreType \"PKCS13\" is not a key store type"), message);
    }
}
