package io.livykernel.cli;

/** A command whose --help ends with more text than the options table (e.g. its exit codes). */
interface HelpFooter {
    String helpFooter();
}
