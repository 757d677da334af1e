package dev.lockstep.secrets;

import dev.lockstep.secrets.SopsMetadata.Recipient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a document's data key with the app's keys: its age recipients with the age identities, its OpenPGP
 * recipients with the OpenPGP secret keys. The key files are read here, at each decrypt. Other key services are
 * refused by name.
 */
final class DataKeys {
    static final String AGE_SETTING = "decrypt.sops.ageKeyFile";
    static final String OPENPGP_SETTING = "decrypt.sops.openpgpKeyFile";
    private static final int DATA_KEY_BYTES = 32;

    private DataKeys() {}

    static byte[] open(String file, SopsMetadata metadata, LoadedKeys loaded) throws SopsException {
        SopsKeys keys = loaded.keys();
        List<Recipient> age = metadata.age();
        List<Recipient> pgp = metadata.pgp();
        if (age.isEmpty() && pgp.isEmpty()) {
            throw new SopsException(
                    file,
                    metadata.otherServices().isEmpty()
                            ? "names no recipient of its data key (no sops.age or sops.pgp entry)"
                            : "is encrypted only for " + String.join(", ", metadata.otherServices())
                                    + "; Lockstep decrypts age and OpenPGP recipients only");
        }
        List<String> tried = new ArrayList<>();
        if (!age.isEmpty() && keys.ageKeyFile().isPresent()) {
            Path keyFile = keys.ageKeyFile().get();
            AgeIdentities identities = loaded.age(file);
            for (Recipient r : age) {
                byte[] key = identities.unwrap(r.enc());
                if (key != null) {
                    return checked(file, key);
                }
            }
            tried.add("no identity in " + AGE_SETTING + " (" + keyFile + ") is one of its age recipients " + ids(age));
        }
        if (!pgp.isEmpty() && keys.openpgpKeyFile().isPresent()) {
            Path keyFile = keys.openpgpKeyFile().get();
            OpenPgpSecretKeys secretKeys = loaded.openpgp(file);
            for (Recipient r : pgp) {
                byte[] key;
                try {
                    key = secretKeys.unwrap(r.enc());
                } catch (IllegalArgumentException e) {
                    throw new SopsException(file, keyFile + ": " + e.getMessage());
                }
                if (key != null) {
                    return checked(file, key);
                }
            }
            tried.add(
                    "no key in " + OPENPGP_SETTING + " (" + keyFile + ") is one of its OpenPGP recipients " + ids(pgp));
        }
        if (tried.isEmpty()) {
            List<String> needed = new ArrayList<>();
            if (!age.isEmpty()) {
                needed.add(AGE_SETTING + " (age recipients " + ids(age) + ")");
            }
            if (!pgp.isEmpty()) {
                needed.add(OPENPGP_SETTING + " (OpenPGP recipients " + ids(pgp) + ")");
            }
            throw new SopsException(file, "no key is configured to decrypt it: set " + String.join(" or ", needed));
        }
        throw new SopsException(file, "wrong key: " + String.join("; ", tried));
    }

    private static byte[] checked(String file, byte[] key) throws SopsException {
        if (key.length != DATA_KEY_BYTES) {
            throw new SopsException(file, "its data key is not " + DATA_KEY_BYTES + " bytes long");
        }
        return key;
    }

    static AgeIdentities readAge(String file, Path keyFile) throws SopsException {
        try {
            return AgeIdentities.read(keyFile);
        } catch (IOException e) {
            throw new SopsException(
                    file,
                    "cannot read " + AGE_SETTING + " " + keyFile + ": "
                            + e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            throw new SopsException(file, AGE_SETTING + ": " + e.getMessage());
        }
    }

    static OpenPgpSecretKeys readOpenPgp(String file, Path keyFile) throws SopsException {
        try {
            return OpenPgpSecretKeys.read(keyFile);
        } catch (IOException e) {
            throw new SopsException(
                    file,
                    "cannot read " + OPENPGP_SETTING + " " + keyFile + ": "
                            + e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            throw new SopsException(file, OPENPGP_SETTING + ": " + e.getMessage());
        }
    }

    private static String ids(List<Recipient> recipients) {
        return recipients.stream().map(Recipient::id).toList().toString();
    }
}
