package io.livykernel.magic;

import org.apache.commons.cli.Options;

/** A magic's fixed description (name, form, body rule, help, flags); subclasses add what it does. */
abstract class BaseMagic implements MagicCommand {
    private final String name;
    private final Form form;
    private final Body body;
    private final String summary;
    private final String example;
    private final Options options;

    BaseMagic(String name, Form form, Body body, String summary, String example, Options options) {
        this.name = name;
        this.form = form;
        this.body = body;
        this.summary = summary;
        this.example = example;
        this.options = options;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Form form() {
        return form;
    }

    @Override
    public final Body body() {
        return body;
    }

    @Override
    public final String summary() {
        return summary;
    }

    @Override
    public final String example() {
        return example;
    }

    @Override
    public final Options options() {
        return options;
    }
}
