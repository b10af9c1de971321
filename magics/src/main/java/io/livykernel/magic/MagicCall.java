package io.livykernel.magic;

import io.livykernel.api.Cell;
import org.apache.commons.cli.CommandLine;

/** A magic as invoked: its parsed flags, its body, and the cell it came from. */
public record MagicCall(ParsedMagic magic, CommandLine flags, String body, Cell cell) {
}
