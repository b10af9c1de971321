package io.livykernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionInfoTest {
    private static final String PORTS = "\"shell_port\": 5001, \"iopub_port\": 5002, \"stdin_port\": 5003,"
            + " \"control_port\": 5004, \"hb_port\": 5005";

    @TempDir
    Path dir;

    @Test
    void readsATcpConnectionFile() throws IOException {
        ConnectionInfo info = ConnectionInfo.read(write("{\"transport\": \"tcp\", \"ip\": \"127.0.0.1\", " + PORTS
                + ", \"signature_scheme\": \"hmac-sha256\", \"key\": \"a0b1\", \"kernel_name\": \"pyspark-livy\"}"));

        assertEquals("tcp://127.0.0.1:5001", info.address(Channel.SHELL));
        assertEquals("tcp://127.0.0.1:5002", info.address(Channel.IOPUB));
        assertEquals("tcp://127.0.0.1:5003", info.address(Channel.STDIN));
        assertEquals("tcp://127.0.0.1:5004", info.address(Channel.CONTROL));
        assertEquals("tcp://127.0.0.1:5005", info.address(Channel.HEARTBEAT));
        assertEquals("hmac-sha256", info.signatureScheme());
        assertEquals("a0b1", info.key());
    }

    @Test
    void readsAnIpcConnectionFileAsSocketFilesNamedIpDashPort() throws IOException {
        ConnectionInfo info = ConnectionInfo.read(write("{\"transport\": \"ipc\", \"ip\": \"/run/user/1/kernel-x\", "
                + PORTS + ", \"key\": \"\"}"));

        assertEquals("ipc:///run/user/1/kernel-x-5001", info.address(Channel.SHELL));
        assertEquals("ipc:///run/user/1/kernel-x-5005", info.address(Channel.HEARTBEAT));
    }

    @Test
    void missingPortIsAnErrorThatNamesTheKey() throws IOException {
        Path file = write("{\"transport\": \"tcp\", \"ip\": \"127.0.0.1\", \"shell_port\": 5001, \"stdin_port\": 5003,"
                + " \"control_port\": 5004, \"hb_port\": 5005, \"key\": \"k\"}");

        IOException e = assertThrows(IOException.class, () -> ConnectionInfo.read(file));

        assertTrue(e.getMessage().contains("'iopub_port'"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void unsupportedTransportIsRefusedByName() throws IOException {
        Path file = write("{\"transport\": \"udp\", \"ip\": \"127.0.0.1\", " + PORTS + "}");

        IOException e = assertThrows(IOException.class, () -> ConnectionInfo.read(file));

        assertTrue(e.getMessage().contains("'udp'"), e.getMessage());
    }

    @Test
    void fileThatIsNotJsonIsAnIoErrorNamingTheFile() throws IOException {
        Path file = write("shell_port = 5001\n");

        IOException e = assertThrows(IOException.class, () -> ConnectionInfo.read(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("JSON"), e.getMessage());
    }

    @Test
    void absentFileIsAnIoErrorNamingTheFile() {
        Path file = dir.resolve("kernel-gone.json");

        IOException e = assertThrows(IOException.class, () -> ConnectionInfo.read(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("kernel-1.json"), json);
    }
}
