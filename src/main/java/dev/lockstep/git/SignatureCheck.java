package dev.lockstep.git;

import java.io.IOException;
import java.util.Optional;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier.SignatureVerification;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Whether one commit carries a good signature by a trusted key. Two traps of JGit's verifier API are closed here: an
 * unsigned commit gets no result at all (a rejection, never a pass), and a format with no verifier on the classpath
 * gets {@code null} from {@link SignatureVerifiers#verify} (a rejection that says which format is missing).
 *
 * <p>SSH signatures go through {@link SignatureVerifiers} (the verifier of org.eclipse.jgit.ssh.apache, found by
 * {@code ServiceLoader}) with an in-memory {@link GpgConfig} naming only the configured allowed-signers file, so the
 * repository's or the user's git config play no part. OpenPGP signatures go to {@link OpenPgpKeyFileVerifier}.
 */
final class SignatureCheck {
    private static final byte[] GPGSIG = {'g', 'p', 'g', 's', 'i', 'g'};

    private final TrustedKeys keys;
    private final GpgConfig sshConfig;

    SignatureCheck(TrustedKeys keys) {
        this.keys = keys;
        Config config = new Config();
        keys.allowedSignersFile().ifPresent(f -> config.setString("gpg", "ssh", "allowedSignersFile", f.toString()));
        this.sshConfig = new GpgConfig(config);
    }

    /** Empty when the commit is signed by a trusted key; otherwise why not, in a user's words. */
    Optional<String> check(Repository repo, RevCommit commit) throws IOException {
        byte[] signature = commit.getRawGpgSignature();
        if (signature == null) {
            return Optional.of("unsigned");
        }
        GpgConfig.GpgFormat format = SignatureVerifiers.getFormat(signature);
        if (format == null) {
            return Optional.of("signature in an unknown format");
        }
        if (format == GpgConfig.GpgFormat.SSH && keys.allowedSignersFile().isEmpty()) {
            return Optional.of("signed with SSH but verify.allowedSignersFile is not set");
        }
        if (format == GpgConfig.GpgFormat.OPENPGP && keys.openpgpKeysFile().isEmpty()) {
            return Optional.of("signed with OpenPGP but verify.openpgpKeysFile is not set");
        }
        SignatureVerification result;
        try {
            result = format == GpgConfig.GpgFormat.OPENPGP
                    ? new OpenPgpKeyFileVerifier(keys.openpgpKeysFile().get())
                            .verify(repo, sshConfig, signedData(commit), signature)
                    : SignatureVerifiers.verify(repo, sshConfig, commit);
        } catch (RuntimeException e) { // JGit's verifiers throw JGitInternalException for an unparsable signature
            return Optional.of("unreadable " + name(format) + " signature");
        }
        if (result == null) {
            return Optional.of("no verifier for " + name(format) + " signatures is available");
        }
        return reason(format, result);
    }

    private static Optional<String> reason(GpgConfig.GpgFormat format, SignatureVerification result) {
        if (result.verified() && !result.expired()) {
            return Optional.empty();
        }
        String key = result.keyFingerprint() == null ? "" : " (key " + result.keyFingerprint() + ")";
        if (result.expired()) {
            return Optional.of(name(format) + " signature by an expired key" + key);
        }
        String message = result.message() == null ? "bad signature" : result.message();
        return Optional.of(name(format) + " signature not trusted: " + message + key);
    }

    private static String name(GpgConfig.GpgFormat format) {
        return switch (format) {
            case OPENPGP -> "OpenPGP";
            case X509 -> "X.509";
            case SSH -> "SSH";
        };
    }

    /** The commit as it was signed: its raw bytes without the {@code gpgsig} header (and its continuation lines). */
    static byte[] signedData(RevCommit commit) {
        byte[] raw = commit.getRawBuffer();
        int start = RawParseUtils.headerStart(GPGSIG, raw, 0);
        if (start < 0) {
            return raw;
        }
        int end = RawParseUtils.nextLfSkippingSplitLines(raw, start);
        start -= GPGSIG.length + 1; // back to the start of "gpgsig "
        if (end < raw.length) {
            end++; // and the header's own line feed
        }
        byte[] data = new byte[raw.length - (end - start)];
        System.arraycopy(raw, 0, data, 0, start);
        System.arraycopy(raw, end, data, start, raw.length - end);
        return data;
    }
}
