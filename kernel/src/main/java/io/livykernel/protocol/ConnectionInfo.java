package io.livykernel.protocol;

import com.google.gson.JsonObject;
import io.livykernel.messages.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The contents of a Jupyter connection file: where each channel listens and how messages are signed. */
public record ConnectionInfo(String transport, String ip, int shellPort, int iopubPort, int stdinPort,
                             int controlPort, int hbPort, String signatureScheme, String key) {

    public static ConnectionInfo read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("connection file " + file + " does not exist (it is written by the Jupyter"
                    + " server that starts the kernel)");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JsonObject o;
        try {
            o = Json.parseObject(text);
        } catch (RuntimeException e) {
            throw new IOException("connection file " + file + " is not a JSON object: " + e.getMessage(), e);
        }
        String transport = Json.string(o, "transport", "tcp");
        if (!transport.equals("tcp") && !transport.equals("ipc")) {
            throw new IOException("connection file " + file + ": unsupported transport '" + transport
                    + "' (tcp and ipc are supported)");
        }
        return new ConnectionInfo(transport, Json.string(o, "ip", "127.0.0.1"),
                port(o, "shell_port", file), port(o, "iopub_port", file), port(o, "stdin_port", file),
                port(o, "control_port", file), port(o, "hb_port", file),
                Json.string(o, "signature_scheme", "hmac-sha256"), Json.string(o, "key", ""));
    }

    /**
     * Five free tcp ports on 127.0.0.1, all different: every probe stays open until the last is taken, since
     * ports probed one after another can come back twice. Another process can still take one before the
     * binder does, so whoever binds must be ready for "address in use".
     */
    public static ConnectionInfo onFreeLoopbackPorts(String signatureScheme, String key) throws IOException {
        List<ServerSocket> probes = new ArrayList<>();
        try {
            for (int i = 0; i < Channel.values().length; i++) {
                probes.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return new ConnectionInfo("tcp", "127.0.0.1", probes.get(0).getLocalPort(),
                    probes.get(1).getLocalPort(), probes.get(2).getLocalPort(), probes.get(3).getLocalPort(),
                    probes.get(4).getLocalPort(), signatureScheme, key);
        } finally {
            for (ServerSocket probe : probes) {
                probe.close();
            }
        }
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("transport", transport);
        o.addProperty("ip", ip);
        o.addProperty("shell_port", shellPort);
        o.addProperty("iopub_port", iopubPort);
        o.addProperty("stdin_port", stdinPort);
        o.addProperty("control_port", controlPort);
        o.addProperty("hb_port", hbPort);
        o.addProperty("signature_scheme", signatureScheme);
        o.addProperty("key", key);
        return o;
    }

    public int port(Channel channel) {
        return switch (channel) {
            case SHELL -> shellPort;
            case IOPUB -> iopubPort;
            case STDIN -> stdinPort;
            case CONTROL -> controlPort;
            case HEARTBEAT -> hbPort;
        };
    }

    /** The ZeroMQ-style address of a channel: tcp://ip:port, or for ipc the socket file "ip-port". */
    public String address(Channel channel) {
        return transport.equals("ipc") ? "ipc://" + ip + "-" + port(channel) : "tcp://" + ip + ":" + port(channel);
    }

    private static int port(JsonObject o, String key, Path file) throws IOException {
        int port = Json.integer(o, key, -1);
        if (port < 0) {
            throw new IOException("connection file " + file + " has no valid '" + key + "'");
        }
        return port;
    }
}
