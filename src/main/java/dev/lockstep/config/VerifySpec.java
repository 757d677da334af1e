package dev.lockstep.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An app's {@code verify} settings: which commits must be signed, and the only places trusted keys come from.
 *
 * @param allowedSignersFile git's SSH allowed-signers file ({@code ssh-keygen -Y} format)
 * @param openpgpKeysFile    armored OpenPGP public keys
 * @param since              under {@code strict}, before any commit was applied: verify from this commit (itself
 *                           included) to the head instead of the head alone
 */
public record VerifySpec(
        VerifyMode mode, Optional<Path> allowedSignersFile, Optional<Path> openpgpKeysFile, Optional<String> since) {
    public static final VerifySpec OFF =
            new VerifySpec(VerifyMode.OFF, Optional.empty(), Optional.empty(), Optional.empty());

    public boolean enabled() {
        return mode != VerifyMode.OFF;
    }
}
