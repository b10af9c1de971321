package io.livykernel.magic;

import io.livykernel.api.CellOutput;
import io.livykernel.api.CellResult;
import io.livykernel.api.UserFacingException;
import io.livykernel.extension.KernelContext;
import io.livykernel.extension.RemoteSessions;
import io.livykernel.extension.RemoteSessions.UploadType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code %%upload [--py | --jar | --file] PATH...}: sends local files to the session through Livy's upload
 * endpoints, so a helper module is importable on the driver and executors, a jar is on the classpath, or a
 * data file is reachable with SparkFiles.
 */
final class UploadMagic extends BaseMagic {
    UploadMagic() {
        super("upload", Form.LINE_OR_CELL, Body.NONE,
                "Send local files to the session: .py/.zip/.egg become importable on driver and executors, .jar goes"
                + " on the classpath, anything else is reachable with SparkFiles.get(name).",
                "%upload helpers.py",
                new Options()
                .addOption(Option.builder().longOpt("py").desc("treat the files as Python modules").build())
                .addOption(Option.builder().longOpt("jar").desc("treat the files as jars").build())
                .addOption(Option.builder().longOpt("file").desc("treat the files as plain files").build()));
    }

    @Override
    public CellResult run(MagicCall call, CellOutput out, KernelContext context)
            throws InterruptedException, UserFacingException {
        RemoteSessions remote = Remote.require(context, "%upload");
        List<String> names = call.flags().getArgList();
        if (names.isEmpty()) {
            throw new UserFacingException("UsageError", "%upload needs at least one local file, e.g. %upload helpers.py");
        }
        List<Path> files = new ArrayList<>();
        for (String name : names) {
            Path file = Path.of(name);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new UserFacingException("UsageError", "Cannot read '" + name + "' (looked in "
                        + file.toAbsolutePath().getParent() + "). Nothing was uploaded.");
            }
            files.add(file);
        }
        for (Path file : files) {
            UploadType type = typeOf(call, file);
            remote.upload(file, type, out);
            out.print("Uploaded " + file.getFileName() + (type == UploadType.PY_FILE ? " (importable as a module)"
                    : type == UploadType.JAR ? " (on the classpath)" : " (SparkFiles.get('" + file.getFileName() + "'))")
                    + ".\n");
        }
        return CellResult.ok();
    }

    private static UploadType typeOf(MagicCall call, Path file) {
        if (call.flags().hasOption("py")) {
            return UploadType.PY_FILE;
        }
        if (call.flags().hasOption("jar")) {
            return UploadType.JAR;
        }
        if (call.flags().hasOption("file")) {
            return UploadType.FILE;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".py") || name.endsWith(".zip") || name.endsWith(".egg")) {
            return UploadType.PY_FILE;
        }
        return name.endsWith(".jar") ? UploadType.JAR : UploadType.FILE;
    }
}
