package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.MimeBundle;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import org.apache.commons.cli.Options;

/** {@code %%help [NAME]}: a table of every magic with its flags and an example, or one magic's full help. */
final class HelpMagic extends BaseMagic {
    private final MagicRegistry registry;

    HelpMagic(MagicRegistry registry) {
        super("help", Form.LINE_OR_CELL, Body.NONE,
                "Show every magic with its flags and an example; %%help NAME shows one magic in full.",
                "%%help local",
                new Options());
        this.registry = registry;
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context) throws UserFacingException {
        if (!call.flags().getArgList().isEmpty()) {
            String wanted = call.flags().getArgList().get(0).replaceFirst("^%+", "");
            MagicCommand command = registry.find(wanted).orElseThrow(() -> new UserFacingException("UsageError",
                    "There is no magic named '" + wanted + "'. " + MagicDispatcher.knownMagicsSentence(registry, wanted)));
            String text = MagicHelp.text(command);
            out.display(MimeBundle.textAndHtml(text, "<pre>" + Html.escape(text) + "</pre>"));
            return CellResult.ok();
        }
        out.display(MimeBundle.textAndHtml(textTable(), htmlTable()));
        return CellResult.ok();
    }

    private String textTable() {
        StringBuilder text = new StringBuilder("Magics of this kernel (a cell without a magic runs on the backend):\n");
        for (MagicCommand c : registry.all()) {
            text.append('\n').append(MagicHelp.usage(c).replace("\n", " ")).append("\n    ").append(c.summary());
            text.append("\n    e.g. ").append(c.example().replace("\n", "\n         ")).append('\n');
        }
        return text.toString();
    }

    private String htmlTable() {
        StringBuilder html = new StringBuilder("<table><thead><tr><th>Magic</th><th>Flags</th>"
                + "<th>What it does</th><th>Example</th></tr></thead><tbody>");
        for (MagicCommand c : registry.all()) {
            html.append("<tr><td><code>").append(MagicHelp.prefix(c)).append(c.name()).append("</code></td><td>")
                    .append(Html.escape(MagicHelp.flags(c)).replace("\n", "<br>")).append("</td><td>")
                    .append(Html.escape(c.summary())).append("</td><td><pre>").append(Html.escape(c.example()))
                    .append("</pre></td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }
}
