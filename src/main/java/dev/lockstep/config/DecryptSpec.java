package dev.lockstep.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An app's {@code decrypt:} block. {@code sops} false: an encrypted document in the app is refused. The key files are
 * read at each decrypt, not here, so a rotated key (a mounted Secret that changed) works without a restart.
 *
 * @param ageKeyFile     age identities ({@code AGE-SECRET-KEY-1…}), one per line
 * @param openpgpKeyFile armored OpenPGP secret keys, no passphrase
 */
public record DecryptSpec(boolean sops, Optional<Path> ageKeyFile, Optional<Path> openpgpKeyFile) {
    public static final DecryptSpec NONE = new DecryptSpec(false, Optional.empty(), Optional.empty());

    /** The setting an app without {@code decrypt.sops} is missing, as error messages name it. */
    public static final String SOPS_SETTING = "decrypt.sops (ageKeyFile or openpgpKeyFile)";
}
