package dev.lockstep.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCredentialsTest {

    @TempDir
    Path tmp;

    @Test
    void toStringShowsTheSourceNeverTheValue() throws Exception {
        Path file = Files.writeString(tmp.resolve("pw"), "  correct-horse \n");
        GitCredentials creds = GitCredentials.usernamePassword("deployer", SecretSource.file(file));

        assertThat(creds.secret().orElseThrow().resolve()).isEqualTo("correct-horse");
        assertThat(creds.toString())
                .contains("deployer")
                .contains("file:" + file)
                .doesNotContain("correct-horse");
        assertThat(new RepoSpec("https://h/r.git", null, creds).toString()).doesNotContain("correct-horse");
        assertThat(GitCredentials.token(SecretSource.env("GIT_TOKEN")).toString())
                .contains("env:GIT_TOKEN");
    }

    @Test
    void aTokenAloneIsSentWithTheConventionalUsername() {
        assertThat(GitCredentials.token(SecretSource.env("X")).effectiveUsername())
                .contains(GitCredentials.TOKEN_USERNAME);
        assertThat(GitCredentials.none().effectiveUsername()).isEmpty();
    }

    @Test
    void repoSpecDefaultsAndValidatesTheBranch() {
        RepoSpec spec = new RepoSpec("https://user:pw@h/r.git", " ", null);
        assertThat(spec.branch()).isEqualTo("main");
        assertThat(spec.credentials()).isEqualTo(GitCredentials.none());
        assertThat(spec.toString()).contains("https://***@h/r.git").doesNotContain("pw");
        assertThatThrownBy(() -> new RepoSpec("https://h/r.git", "bad..name"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RepoSpec(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
