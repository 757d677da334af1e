package dev.lockstep.secrets;

/**
 * The key files of one decrypt session (one pass), each read the first time a file needs it and then kept for the
 * session: a rotated file is read by the next session, and a thousand files do not read it a thousand times.
 */
final class LoadedKeys {
    private final SopsKeys keys;
    private AgeIdentities age;
    private OpenPgpSecretKeys openpgp;
    private String ageProblem;
    private String openpgpProblem;

    LoadedKeys(SopsKeys keys) {
        this.keys = keys;
    }

    SopsKeys keys() {
        return keys;
    }

    /** @param file the document that needs the key, for the error */
    synchronized AgeIdentities age(String file) throws SopsException {
        if (age == null && ageProblem == null) {
            try {
                age = DataKeys.readAge(file, keys.ageKeyFile().orElseThrow());
            } catch (SopsException e) {
                ageProblem = e.getMessage().substring(file.length() + 2);
            }
        }
        if (ageProblem != null) {
            throw new SopsException(file, ageProblem);
        }
        return age;
    }

    synchronized OpenPgpSecretKeys openpgp(String file) throws SopsException {
        if (openpgp == null && openpgpProblem == null) {
            try {
                openpgp = DataKeys.readOpenPgp(file, keys.openpgpKeyFile().orElseThrow());
            } catch (SopsException e) {
                openpgpProblem = e.getMessage().substring(file.length() + 2);
            }
        }
        if (openpgpProblem != null) {
            throw new SopsException(file, openpgpProblem);
        }
        return openpgp;
    }
}
