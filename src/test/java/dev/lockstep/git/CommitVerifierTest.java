package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.OpenPgpTestKey;
import dev.lockstep.testing.SshTestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.Signer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures made as people make them (git itself with an {@code ssh-keygen} key; an OpenPGP key made here), verified
 * from the cache Lockstep fetched over file://, with trusted keys from the configured files only.
 */
class CommitVerifierTest {
    @TempDir
    Path tmp;

    private GitRepoFixture repo;
    private SshTestKey trusted;
    private SshTestKey stranger;
    private Path allowedSigners;
    private GitSource source;

    @BeforeEach
    void setUp() throws IOException {
        repo = GitRepoFixture.create(tmp.resolve("repo"));
        trusted = SshTestKey.create(tmp, "trusted");
        stranger = SshTestKey.create(tmp, "stranger");
        allowedSigners =
                Files.writeString(tmp.resolve("allowed_signers"), trusted.allowedSignersLine("ada@example.com"));
        source = new GitSource(new RepoSpec(repo.url(), "main"), tmp.resolve("cache"));
    }

    @AfterEach
    void tearDown() {
        source.close();
        repo.close();
    }

    private CommitVerifier ssh() {
        return new CommitVerifier(source, new TrustedKeys(Optional.of(allowedSigners), Optional.empty()));
    }

    private String fetched() throws GitSourceException {
        return source.fetch().commit();
    }

    @Test
    void aHeadSignedByATrustedSshKeyPasses() throws Exception {
        repo.write("a.yaml", "a: 1\n");
        trusted.commit(repo, "signed");
        assertThat(ssh().verifyHead(fetched())).isEmpty();
    }

    @Test
    void anUnsignedHeadIsRefusedBecauseItHasNoResult() throws Exception {
        String head = repo.commit("unsigned", java.util.Map.of("a.yaml", "a: 1\n"));
        assertThat(ssh().verifyHead(fetched())).containsExactly(new CommitVerifier.Failure(head, "unsigned"));
    }

    @Test
    void aKeyMissingFromTheAllowedSignersFileIsRefusedWithItsFingerprint() throws Exception {
        repo.write("a.yaml", "a: 1\n");
        String head = stranger.commit(repo, "signed by a stranger");
        List<CommitVerifier.Failure> failures = ssh().verifyHead(fetched());
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.commit()).isEqualTo(head);
            assertThat(f.reason()).startsWith("SSH signature not trusted").contains("(key SHA256:");
        });
    }

    @Test
    void aTamperedCommitFailsEvenWithATrustedKey() throws Exception {
        // the same signature on other bytes: the SSH verifier must say the signature is bad, not trust the key alone
        repo.write("a.yaml", "a: 1\n");
        trusted.commit(repo, "signed");
        String signed = fetched();
        String forged;
        try (var git = org.eclipse.jgit.api.Git.open(repo.dir().toFile());
                var walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository());
                var inserter = git.getRepository().newObjectInserter()) {
            var original = walk.parseCommit(org.eclipse.jgit.lib.ObjectId.fromString(signed));
            var builder = new org.eclipse.jgit.lib.CommitBuilder();
            builder.setTreeId(original.getTree());
            builder.setAuthor(original.getAuthorIdent());
            builder.setCommitter(original.getCommitterIdent());
            builder.setMessage("signed, but not this message");
            builder.setGpgSignature(new GpgSignature(original.getRawGpgSignature()));
            forged = inserter.insert(builder).name();
            inserter.flush();
            var update = git.getRepository().updateRef("refs/heads/main");
            update.setNewObjectId(org.eclipse.jgit.lib.ObjectId.fromString(forged));
            update.setForceUpdate(true);
            update.update();
        }
        assertThat(fetched()).isEqualTo(forged);
        assertThat(ssh().verifyHead(forged))
                .singleElement()
                .satisfies(f -> assertThat(f.reason()).startsWith("SSH signature not trusted"));
    }

    @Test
    void openPgpSignaturesAreCheckedAgainstTheConfiguredKeysFileOnly() throws Exception {
        OpenPgpTestKey key = OpenPgpTestKey.create("Ada <ada@example.com>");
        OpenPgpTestKey other = OpenPgpTestKey.create("Mallory <mallory@example.com>");
        Path keys = key.exportTo(tmp.resolve("trusted.asc"));
        CommitVerifier verifier = new CommitVerifier(source, new TrustedKeys(Optional.empty(), Optional.of(keys)));

        repo.write("a.yaml", "a: 1\n");
        repo.commitSigned("signed with OpenPGP", key.signer());
        assertThat(verifier.verifyHead(fetched())).isEmpty();

        repo.write("a.yaml", "a: 2\n");
        String byOther = repo.commitSigned("signed by another OpenPGP key", other.signer());
        assertThat(verifier.verifyHead(fetched())).singleElement().satisfies(f -> {
            assertThat(f.commit()).isEqualTo(byOther);
            assertThat(f.reason()).contains("which is not in openpgpKeysFile");
        });
    }

    @Test
    void aSignatureFormatWithoutKeysConfiguredIsRefusedNamingTheField() throws Exception {
        OpenPgpTestKey key = OpenPgpTestKey.create("Ada <ada@example.com>");
        repo.write("a.yaml", "a: 1\n");
        repo.commitSigned("signed with OpenPGP", key.signer());
        assertThat(ssh().verifyHead(fetched()))
                .singleElement()
                .satisfies(f ->
                        assertThat(f.reason()).isEqualTo("signed with OpenPGP but verify.openpgpKeysFile is not set"));
    }

    @Test
    void aFormatWithNoVerifierOnTheClasspathIsRefusedNotPassed() throws Exception {
        // JGit returns null from verify() for a format no SignatureVerifierFactory serves: X.509 (gpgsm) here
        Signer cms = new Signer() {
            @Override
            public GpgSignature sign(
                    org.eclipse.jgit.lib.Repository r,
                    org.eclipse.jgit.lib.GpgConfig c,
                    byte[] data,
                    org.eclipse.jgit.lib.PersonIdent who,
                    String key,
                    org.eclipse.jgit.transport.CredentialsProvider p) {
                return new GpgSignature("-----BEGIN SIGNED MESSAGE-----\nMIIB\n-----END SIGNED MESSAGE-----\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public boolean canLocateSigningKey(
                    org.eclipse.jgit.lib.Repository r,
                    org.eclipse.jgit.lib.GpgConfig c,
                    org.eclipse.jgit.lib.PersonIdent who,
                    String key,
                    org.eclipse.jgit.transport.CredentialsProvider p) {
                return true;
            }
        };
        String head = repo.commitSigned("signed with X.509", cms);
        assertThat(ssh().verifyHead(fetched()))
                .containsExactly(new CommitVerifier.Failure(head, "no verifier for X.509 signatures is available"));
    }

    @Test
    void strictRefusesASignedHeadOnTopOfAnUnsignedCommit() throws Exception {
        repo.write("a.yaml", "a: 1\n");
        String base = trusted.commit(repo, "applied");
        String unsigned = repo.commit("sneaked in", java.util.Map.of("a.yaml", "a: 2\n"));
        repo.write("a.yaml", "a: 3\n");
        String head = trusted.commit(repo, "signed on top");
        fetched();
        assertThat(ssh().verifyHead(head)).isEmpty();
        assertThat(ssh().verifyRange(Optional.of(base), Optional.empty(), head))
                .containsExactly(new CommitVerifier.Failure(unsigned, "unsigned"));
    }

    @Test
    void aSignedTrustBaseVouchesForTheUnsignedCommitsBeforeIt() throws Exception {
        repo.write("a.yaml", "a: 1\n");
        String base = trusted.commit(repo, "applied");
        repo.commit("unsigned", java.util.Map.of("a.yaml", "a: 2\n"));
        repo.write("a.yaml", "a: 3\n");
        String trustBase = trusted.commit(repo, "reviewed\n\nLockstep-Trust-Base: yes");
        repo.write("a.yaml", "a: 4\n");
        String head = trusted.commit(repo, "after the base");
        fetched();
        assertThat(ssh().verifyRange(Optional.of(base), Optional.empty(), head)).isEmpty();
        assertThat(trustBase).isNotEqualTo(head);
    }

    @Test
    void anUnsignedCommitCannotDeclareItselfATrustBase() throws Exception {
        repo.write("a.yaml", "a: 1\n");
        String base = trusted.commit(repo, "applied");
        String unsigned = repo.commit("unsigned", java.util.Map.of("a.yaml", "a: 2\n"));
        String fakeBase = repo.commit("trust me\n\nLockstep-Trust-Base: yes", java.util.Map.of("a.yaml", "a: 3\n"));
        repo.write("a.yaml", "a: 4\n");
        String head = trusted.commit(repo, "signed on top");
        fetched();
        assertThat(ssh().verifyRange(Optional.of(base), Optional.empty(), head))
                .containsExactly(
                        new CommitVerifier.Failure(fakeBase, "unsigned"),
                        new CommitVerifier.Failure(unsigned, "unsigned"));
    }

    @Test
    void withNothingAppliedStrictChecksTheHeadOrFromVerifySince() throws Exception {
        String old = repo.commit("old and unsigned", java.util.Map.of("a.yaml", "a: 1\n"));
        repo.write("a.yaml", "a: 2\n");
        String since = trusted.commit(repo, "first signed");
        repo.write("a.yaml", "a: 3\n");
        String head = trusted.commit(repo, "second signed");
        fetched();
        assertThat(ssh().verifyRange(Optional.empty(), Optional.empty(), head)).isEmpty();
        assertThat(ssh().verifyRange(Optional.empty(), Optional.of(since), head))
                .isEmpty();
        assertThat(ssh().verifyRange(Optional.empty(), Optional.of(old), head))
                .containsExactly(new CommitVerifier.Failure(old, "unsigned"));
    }

    @Test
    void aForcePushedHeadDoesNotDescendFromTheAppliedCommit() throws Exception {
        String first = repo.commit("first", java.util.Map.of("a.yaml", "a: 1\n"));
        String applied = repo.commit("second", java.util.Map.of("a.yaml", "a: 2\n"));
        fetched();
        repo.resetHard(first);
        String rewritten = repo.commit("rewritten", java.util.Map.of("a.yaml", "a: 3\n"));
        assertThat(fetched()).isEqualTo(rewritten);
        CommitVerifier verifier = ssh();
        assertThat(verifier.descends(rewritten, applied)).isFalse();
        assertThat(verifier.descends(rewritten, first)).isTrue();
        assertThat(verifier.descends(rewritten, rewritten)).isTrue();
        assertThat(verifier.descends(rewritten, "0123456789012345678901234567890123456789"))
                .as("a commit the cache never saw")
                .isFalse();
    }

    @Test
    void lockstepsOwnSignedCommitsAreVerifiedLikeAnyOther() throws Exception {
        String base = repo.commit("first", java.util.Map.of("a.yaml", "a: 1\n"));
        String head = fetched();
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
        CommitWriter trustedWriter =
                new CommitWriter(source, "Lockstep", "lockstep@example.com", Optional.of(trusted.privateKey()), clock);
        String own = trustedWriter.restore(head, base, "a.yaml", "Lockstep's own commit");
        assertThat(ssh().verifyHead(own)).isEmpty();

        CommitWriter strangerWriter =
                new CommitWriter(source, "Lockstep", "lockstep@example.com", Optional.of(stranger.privateKey()), clock);
        String notTrusted = strangerWriter.restore(head, base, "a.yaml", "signed by a key not listed");
        assertThat(ssh().verifyHead(notTrusted))
                .singleElement()
                .satisfies(f -> assertThat(f.reason()).startsWith("SSH signature not trusted"));
    }

    @Test
    void anUnreadableKeysFileFailsTheCheckNamingTheField() throws Exception {
        repo.write("a.yaml", "a: 1\n");
        String head = trusted.commit(repo, "signed");
        fetched();
        Path missing = tmp.resolve("nowhere/allowed_signers");
        CommitVerifier verifier = new CommitVerifier(source, new TrustedKeys(Optional.of(missing), Optional.empty()));
        assertThat(verifier.verifyHead(head))
                .containsExactly(
                        new CommitVerifier.Failure(head, "verify.allowedSignersFile " + missing + " cannot be read"));
    }
}
