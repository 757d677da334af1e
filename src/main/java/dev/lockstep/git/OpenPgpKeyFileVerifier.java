package dev.lockstep.git;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;

/**
 * JGit's {@link SignatureVerifier} for OpenPGP signatures with keys from one armored file. JGit's own OpenPGP
 * verifier (org.eclipse.jgit.gpg.bc) only looks keys up in {@code ~/.gnupg} (or {@code $GNUPGHOME}), which would let
 * whoever can write the daemon's home decide what is trusted; this one reads nothing but the configured file, on
 * every call, so a changed file takes effect at once. Bouncy Castle's lightweight API: no JCE provider to register.
 */
final class OpenPgpKeyFileVerifier implements SignatureVerifier {
    private final Path keysFile;

    OpenPgpKeyFileVerifier(Path keysFile) {
        this.keysFile = keysFile;
    }

    @Override
    public SignatureVerification verify(Repository repository, GpgConfig config, byte[] data, byte[] signatureData)
            throws IOException {
        PGPSignature signature = parse(signatureData);
        Date signedAt = signature == null ? null : signature.getCreationTime();
        if (signature == null) {
            return failed(null, null, "not an OpenPGP signature");
        }
        String keyId = String.format(Locale.ROOT, "%016X", signature.getKeyID());
        PGPPublicKey key = keys().getPublicKey(signature.getKeyID());
        if (key == null) {
            return failed(signedAt, keyId, "signed by OpenPGP key " + keyId + ", which is not in openpgpKeysFile");
        }
        String fingerprint = HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
        if (key.hasRevocation()) {
            return failed(signedAt, fingerprint, "OpenPGP key " + fingerprint + " is revoked");
        }
        boolean valid;
        try {
            signature.init(new BcPGPContentVerifierBuilderProvider(), key);
            signature.update(data);
            valid = signature.verify();
        } catch (PGPException e) {
            valid = false;
        }
        if (!valid) {
            return failed(signedAt, fingerprint, "bad OpenPGP signature (key " + fingerprint + ")");
        }
        long validSeconds = key.getValidSeconds();
        boolean expired = validSeconds > 0
                && signedAt != null
                && key.getCreationTime().toInstant().plusSeconds(validSeconds).isBefore(signedAt.toInstant());
        return new SignatureVerification(
                getName(),
                signedAt,
                null,
                fingerprint,
                key.getUserIDs().hasNext() ? key.getUserIDs().next() : null,
                !expired,
                expired,
                TrustLevel.FULL,
                expired ? "OpenPGP key " + fingerprint + " had expired when the commit was signed" : null);
    }

    private SignatureVerification failed(Date signedAt, String fingerprint, String message) {
        return new SignatureVerification(
                getName(), signedAt, null, fingerprint, null, false, false, TrustLevel.NEVER, message);
    }

    private PGPPublicKeyRingCollection keys() throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(keysFile))) {
            return new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        } catch (PGPException | RuntimeException e) {
            throw new IOException("openpgpKeysFile " + keysFile + " holds no readable OpenPGP public keys", e);
        }
    }

    private static PGPSignature parse(byte[] signatureData) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signatureData))) {
            Object next = new BcPGPObjectFactory(in).nextObject();
            if (next instanceof PGPCompressedData compressed) {
                next = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
            }
            return next instanceof PGPSignatureList list && !list.isEmpty() ? list.get(0) : null;
        } catch (PGPException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String getName() {
        return "openpgp-keys-file";
    }

    @Override
    public void clear() {
        // nothing cached: the file is read on every verification
    }
}
