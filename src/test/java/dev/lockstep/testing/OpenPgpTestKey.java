package dev.lockstep.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * An OpenPGP key made in the test with Bouncy Castle (RSA 2048, no passphrase), its armored public key ring as a user
 * would export it ({@code gpg --export --armor}), and a JGit {@link Signer} making detached signatures as gpg does.
 */
public final class OpenPgpTestKey {
    private final PGPKeyPair pair;
    private final PGPPublicKeyRing publicRing;

    private OpenPgpTestKey(PGPKeyPair pair, PGPPublicKeyRing publicRing) {
        this.pair = pair;
        this.publicRing = publicRing;
    }

    public static OpenPgpTestKey create(String userId) {
        try {
            RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
            generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 80));
            PGPKeyPair pair =
                    new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, generator.generateKeyPair(), new Date());
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(
                    PGPSignature.POSITIVE_CERTIFICATION,
                    pair,
                    userId,
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
                    null,
                    null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
                    null);
            return new OpenPgpTestKey(pair, rings.generatePublicKeyRing());
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes (or appends to) an armored public keys file, the format of {@code verify.openpgpKeysFile}. */
    public Path exportTo(Path file) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            try (ArmoredOutputStream armored = new ArmoredOutputStream(bytes)) {
                publicRing.encode(armored);
            }
            Files.write(
                    file,
                    bytes.toByteArray(),
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs commits as {@code gpg --detach-sign --armor} would, for {@code git commit -S}. */
    public Signer signer() {
        return new Signer() {
            @Override
            public GpgSignature sign(
                    Repository repository,
                    GpgConfig config,
                    byte[] data,
                    PersonIdent committer,
                    String signingKey,
                    CredentialsProvider credentialsProvider)
                    throws IOException {
                try {
                    PGPSignatureGenerator generator = new PGPSignatureGenerator(
                            new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
                            pair.getPublicKey());
                    generator.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
                    generator.update(data);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
                        generator.generate().encode(armored);
                    }
                    return new GpgSignature(out.toByteArray());
                } catch (PGPException e) {
                    throw new IOException(e);
                }
            }

            @Override
            public boolean canLocateSigningKey(
                    Repository repository,
                    GpgConfig config,
                    PersonIdent committer,
                    String signingKey,
                    CredentialsProvider credentialsProvider) {
                return true;
            }
        };
    }
}
