package io.livykernel.magic;

import java.util.List;

/**
 * A magic at the top of a cell: {@code %%name args} followed by the cell body, or {@code %name args} on the
 * first line (the rest of the cell is then its body, as sparkmagic treats {@code %info} like {@code %%info}).
 */
public record ParsedMagic(String name, boolean cellMagic, List<String> arguments, String body, String firstLine) {
    public ParsedMagic {
        arguments = List.copyOf(arguments);
    }

    /** How the user wrote it: "%%name" or "%name". */
    public String written() {
        return (cellMagic ? "%%" : "%") + name;
    }
}
