package dev.lockstep.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An SSH signing key made by {@code ssh-keygen}, and commits signed with it by git itself ({@code gpg.format ssh},
 * git 2.34+), exactly as a person signs: the verifier under test never sees a signature Lockstep's own code made.
 */
public record SshTestKey(Path privateKey, String publicKey) {

    public static SshTestKey create(Path dir, String name) {
        Path key = dir.resolve(name);
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString());
        try {
            return new SshTestKey(
                    key, Files.readString(dir.resolve(name + ".pub")).strip());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line of git's allowed-signers file trusting this key for {@code principal}. */
    public String allowedSignersLine(String principal) {
        return principal + " " + publicKey + "\n";
    }

    /** {@code git add -A && git commit -S} with this key; returns the full SHA. */
    public String commit(GitRepoFixture repo, String message) {
        run(repo.dir(), "git", "add", "-A");
        run(
                repo.dir(),
                "git",
                "-c",
                "gpg.format=ssh",
                "-c",
                "user.signingkey=" + privateKey,
                "commit",
                "-q",
                "-S",
                "--allow-empty",
                "-m",
                message);
        return run(repo.dir(), "git", "rev-parse", "HEAD").strip();
    }

    static String run(Path dir, String... command) {
        try {
            List<String> cmd = new ArrayList<>(List.of(command));
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
