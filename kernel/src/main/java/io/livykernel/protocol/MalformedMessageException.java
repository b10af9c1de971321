package io.livykernel.protocol;

import io.livykernel.messages.Header;
import java.util.List;

/**
 * A multipart message that cannot be acted on. When the frames were well enough formed to know who sent
 * it and what it was ({@link #header()} not null) the kernel can still answer with an error reply.
 */
public final class MalformedMessageException extends Exception {
    private final transient List<byte[]> identities;
    private final transient Header header;

    public MalformedMessageException(String reason, List<byte[]> identities, Header header) {
        super(reason);
        this.identities = identities == null ? List.of() : List.copyOf(identities);
        this.header = header;
    }

    public List<byte[]> identities() {
        return identities;
    }

    public Header header() {
        return header;
    }
}
