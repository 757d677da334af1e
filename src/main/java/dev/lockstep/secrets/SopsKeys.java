package dev.lockstep.secrets;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an app's keys are: files read at each decrypt, so a rotated key file (a mounted Secret that changed) takes
 * effect without a restart. Either may be absent.
 *
 * @param ageKeyFile age X25519 identities ({@code AGE-SECRET-KEY-1...}), one per line, {@code #} comments allowed
 * @param openpgpKeyFile armored OpenPGP secret keys without a passphrase
 */
public record SopsKeys(Optional<Path> ageKeyFile, Optional<Path> openpgpKeyFile) {
    public SopsKeys {
        ageKeyFile = ageKeyFile == null ? Optional.empty() : ageKeyFile;
        openpgpKeyFile = openpgpKeyFile == null ? Optional.empty() : openpgpKeyFile;
    }

    public static SopsKeys none() {
        return new SopsKeys(Optional.empty(), Optional.empty());
    }

    public static SopsKeys age(Path file) {
        return new SopsKeys(Optional.of(file), Optional.empty());
    }

    public static SopsKeys openpgp(Path file) {
        return new SopsKeys(Optional.empty(), Optional.of(file));
    }

    public boolean isEmpty() {
        return ageKeyFile.isEmpty() && openpgpKeyFile.isEmpty();
    }
}
