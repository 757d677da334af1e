package dev.lockstep.config;

import java.nio.file.Path;
import java.util.Optional;

/** Reads an app's {@code decrypt:} block, naming each bad field; unknown keys are errors as everywhere. */
final class DecryptSettings {
    private DecryptSettings() {}

    static DecryptSpec read(FieldReader app, Path baseDir) {
        Optional<FieldReader> block = app.object("decrypt");
        if (block.isEmpty()) {
            return DecryptSpec.NONE;
        }
        FieldReader decrypt = block.get();
        Optional<FieldReader> sops = decrypt.object("sops");
        decrypt.rejectUnknown();
        if (sops.isEmpty()) {
            return DecryptSpec.NONE;
        }
        FieldReader r = sops.get();
        Optional<Path> age = r.file("ageKeyFile", baseDir, NamedFiles.Kind.FILE);
        Optional<Path> openpgp = r.file("openpgpKeyFile", baseDir, NamedFiles.Kind.FILE);
        if (age.isEmpty() && openpgp.isEmpty()) {
            r.problem("ageKeyFile", "decrypt.sops names ageKeyFile or openpgpKeyFile (or both)");
        }
        r.rejectUnknown();
        return new DecryptSpec(true, age, openpgp);
    }
}
