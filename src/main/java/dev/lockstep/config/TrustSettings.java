package dev.lockstep.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads an app's {@code verify} and {@code allowHistoryRewrite}, naming each bad field. */
final class TrustSettings {
    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");

    private TrustSettings() {}

    static TrustSpec read(FieldReader app, Path baseDir) {
        VerifySpec verify = app.object("verify").map(r -> verify(r, baseDir)).orElse(VerifySpec.OFF);
        boolean allowRewrite = app.bool("allowHistoryRewrite", false);
        return new TrustSpec(verify, allowRewrite);
    }

    private static VerifySpec verify(FieldReader r, Path baseDir) {
        VerifyMode mode = r.choice("mode", VerifyMode.class, VerifyMode.OFF);
        Optional<Path> signers = r.file("allowedSignersFile", baseDir, NamedFiles.Kind.FILE);
        Optional<Path> openpgp = r.file("openpgpKeysFile", baseDir, NamedFiles.Kind.FILE);
        Optional<String> since = r.string("since").map(s -> s.toLowerCase(Locale.ROOT));
        r.rejectUnknown();
        if (mode != VerifyMode.OFF && signers.isEmpty() && openpgp.isEmpty()) {
            r.problem(
                    "mode",
                    mode.name().toLowerCase(Locale.ROOT)
                            + " needs trusted keys: set allowedSignersFile, openpgpKeysFile or both");
        }
        if (since.isPresent() && !FULL_SHA.matcher(since.get()).matches()) {
            r.problem("since", "'" + since.get() + "' must be a full 40-hex commit id");
        }
        if (since.isPresent() && mode != VerifyMode.STRICT) {
            r.problem("since", "only applies with mode: strict");
        }
        return new VerifySpec(mode, signers, openpgp, since);
    }
}
