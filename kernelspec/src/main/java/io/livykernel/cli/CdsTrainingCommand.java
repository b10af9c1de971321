package io.livykernel.cli;

import com.google.gson.JsonObject;
import io.livykernel.Version;
import io.livykernel.config.ConfigException;
import io.livykernel.execution.KernelInfo;
import io.livykernel.execution.KernelServer;
import io.livykernel.extension.MagicSupport;
import io.livykernel.messages.Message;
import io.livykernel.messages.MessageFactory;
import io.livykernel.protocol.Channel;
import io.livykernel.protocol.ClientTransport;
import io.livykernel.protocol.ConnectionInfo;
import io.livykernel.protocol.MalformedMessageException;
import io.livykernel.protocol.MessageHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code cds-train}: runs a kernel in this process and drives it through a short session (kernel_info,
 * magics, completion, inspection) with the Java client, so that {@code install} can record the classes a
 * kernel loads into a class-data-sharing archive (-XX:ArchiveClassesAtExit). Loading from that archive
 * takes about 90 ms off each kernel start. Needs no Python and no network beyond loopback.
 */
final class CdsTrainingCommand implements Command {
    private static final long REPLY_TIMEOUT_SECONDS = 10;

    @Override
    public String name() {
        return "cds-train";
    }

    @Override
    public String summary() {
        return "(internal) exercise a kernel in-process to record a class-data-sharing archive";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public boolean hidden() {
        return true;
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        ConnectionInfo info = new ConnectionInfo("tcp", "127.0.0.1", freePort(), freePort(), freePort(), freePort(),
                freePort(), "hmac-sha256", UUID.randomUUID().toString());
        MagicSupport magics = ServiceLoader.load(MagicSupport.class).findFirst().orElse(null);
        KernelServer server = new KernelServer(info, KernelBackends.misconfigured(
                new ConfigException("training run: no backend")), magics, new KernelInfo(Version.current()));
        server.start();
        BlockingQueue<Message> replies = new LinkedBlockingQueue<>();
        ClientTransport client = new ClientTransport(info, "cds-trainer");
        client.start(new MessageHandler() {
            @Override
            public void onMessage(Channel channel, Message message) {
                if (channel == Channel.SHELL) {
                    replies.add(message);
                }
            }

            @Override
            public void onMalformed(Channel channel, MalformedMessageException problem) {
                // nothing to learn from it
            }
        });
        MessageFactory messages = new MessageFactory(UUID.randomUUID().toString(), "trainer");
        try {
            for (JsonObject[] request : List.of(
                    request("kernel_info_request", "", 0), request("execute_request", "%%help", 0),
                    request("execute_request", "", 0), request("execute_request", "%%nosuchmagic", 0),
                    request("complete_request", "%he", 3), request("inspect_request", "%%help", 2),
                    request("is_complete_request", "x = (1,", 0), request("history_request", "", 0))) {
                String type = request[0].get("type").getAsString();
                client.send(Channel.SHELL, messages.request(List.of(), new JsonObject(), type, request[1]));
                if (replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS) == null) {
                    err.println("cds-train: no reply to " + type);
                    return 1;
                }
            }
            return 0;
        } finally {
            client.close();
            server.stop();
        }
    }

    private static JsonObject[] request(String type, String code, int cursor) {
        JsonObject meta = new JsonObject();
        meta.addProperty("type", type);
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("cursor_pos", cursor);
        content.addProperty("hist_access_type", "tail");
        content.addProperty("n", 5);
        return new JsonObject[] {meta, content};
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
