package dev.lockstep.secrets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

/**
 * Armored OpenPGP secret keys without a passphrase, from one file read when asked. Bouncy Castle's lightweight API:
 * no JCE provider to register.
 */
final class OpenPgpSecretKeys {
    private final PGPSecretKeyRingCollection keys;

    private OpenPgpSecretKeys(PGPSecretKeyRingCollection keys) {
        this.keys = keys;
    }

    /** @throws IllegalArgumentException naming the file, never the key */
    static OpenPgpSecretKeys read(Path file) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            PGPSecretKeyRingCollection keys = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
            if (keys.size() == 0) {
                throw new IllegalArgumentException(file + " holds no OpenPGP secret key");
            }
            return new OpenPgpSecretKeys(keys);
        } catch (PGPException | RuntimeException e) {
            if (e instanceof IllegalArgumentException known
                    && known.getMessage().startsWith(file.toString())) {
                throw known;
            }
            throw new IllegalArgumentException(file + " is not an armored OpenPGP secret key file");
        }
    }

    /**
     * The data key in this armored OpenPGP message, or null when no key here is a recipient.
     *
     * @throws IllegalArgumentException when a matching key is protected by a passphrase
     */
    byte[] unwrap(String armored) {
        try (InputStream in =
                PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
            Object first = factory.nextObject();
            PGPEncryptedDataList list =
                    first instanceof PGPEncryptedDataList l ? l : (PGPEncryptedDataList) factory.nextObject();
            Iterator<?> it = list.getEncryptedDataObjects();
            while (it.hasNext()) {
                if (!(it.next() instanceof PGPPublicKeyEncryptedData data)) {
                    continue;
                }
                PGPSecretKey secret = keys.getSecretKey(data.getKeyID());
                if (secret == null) {
                    continue;
                }
                PGPPrivateKey key = privateKey(secret);
                return literal(data.getDataStream(new BcPublicKeyDataDecryptorFactory(key)), data);
            }
            return null;
        } catch (IOException | PGPException | ClassCastException e) {
            return null;
        }
    }

    private static PGPPrivateKey privateKey(PGPSecretKey secret) throws PGPException {
        try {
            PGPPrivateKey key = secret.extractPrivateKey(null);
            if (key != null) {
                return key;
            }
        } catch (PGPException e) {
            // protected by a passphrase: reported below
        }
        throw new IllegalArgumentException(String.format(
                "OpenPGP key %016X is protected by a passphrase; Lockstep needs it without one", secret.getKeyID()));
    }

    private static byte[] literal(InputStream clear, PGPPublicKeyEncryptedData data) throws IOException, PGPException {
        Object next = new BcPGPObjectFactory(clear).nextObject();
        if (next instanceof PGPCompressedData compressed) {
            next = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
        }
        if (!(next instanceof PGPLiteralData literal)) {
            return null;
        }
        byte[] bytes = literal.getInputStream().readAllBytes();
        if (data.isIntegrityProtected() && !data.verify()) {
            return null;
        }
        return bytes;
    }
}
