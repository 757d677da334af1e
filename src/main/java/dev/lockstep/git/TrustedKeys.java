package dev.lockstep.git;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an app's trusted signing keys are, and the only places they are read from: never the user's home, gpg's
 * keyring or a key server.
 *
 * @param allowedSignersFile git's SSH allowed-signers file ({@code gpg.ssh.allowedSignersFile})
 * @param openpgpKeysFile    armored OpenPGP public keys
 */
public record TrustedKeys(Optional<Path> allowedSignersFile, Optional<Path> openpgpKeysFile) {
    public TrustedKeys {
        allowedSignersFile = allowedSignersFile.map(p -> p.toAbsolutePath().normalize());
        openpgpKeysFile = openpgpKeysFile.map(p -> p.toAbsolutePath().normalize());
    }
}
