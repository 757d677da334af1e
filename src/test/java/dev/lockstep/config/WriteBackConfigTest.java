package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-app write-back settings: names kept as the issue gives them, every bad value named by its field. */
class WriteBackConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    private AppSpec app(String extra) throws ConfigException {
        return loader.parse("lockstep.yaml", """
                apps:
                  - name: hello
                    repo: {url: "https://git.example.com/acme/deploy.git"}
                    namespace: hello
                %s""".formatted(extra.indent(4)), Path.of("/etc/lockstep"))
                .apps()
                .get(0);
    }

    private Iterable<String> problems(String extra) {
        try {
            app(extra);
            throw new AssertionError("expected a configuration error");
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    @Test
    void withoutWriteBackLockstepNeverPushes() throws Exception {
        AppSpec app = app("");

        assertThat(app.writeBack()).isEmpty();
        assertThat(app.onFailedRollout()).isEqualTo(OnFailedRollout.REPORT);
        assertThat(app.onManualRollback()).isEqualTo(OnManualRollback.HEAL);
    }

    @Test
    void readsWriteBackAndBothPolicies() throws Exception {
        AppSpec app = app("""
                writeBack:
                  author: Lockstep <lockstep@example.com>
                  signingKeyFile: keys/lockstep
                onFailedRollout: revert
                onManualRollback: commit
                """);

        assertThat(app.writeBack())
                .contains(new WriteBackSpec(
                        "Lockstep", "lockstep@example.com", Optional.of(Path.of("/etc/lockstep/keys/lockstep"))));
        assertThat(app.onFailedRollout()).isEqualTo(OnFailedRollout.REVERT);
        assertThat(app.onManualRollback()).isEqualTo(OnManualRollback.COMMIT);
    }

    @Test
    void revertAndCommitNeedWriteBack() {
        assertThat(problems("onFailedRollout: revert\nonManualRollback: commit\n"))
                .containsExactlyInAnyOrder(
                        "apps[0].onFailedRollout: revert needs writeBack (an author for Lockstep's commits); add writeBack or use report",
                        "apps[0].onManualRollback: commit needs writeBack (an author for Lockstep's commits); add writeBack or use heal "
                                + "or report");
    }

    @Test
    void badValuesAreNamedWithWhatIsAllowed() {
        assertThat(problems("""
                writeBack: {author: lockstep, signingkey: x}
                onFailedRollout: rollback
                onManualRollback: Heal
                """))
                .containsExactlyInAnyOrder(
                        "apps[0].writeBack.author: 'lockstep' must read 'Name <email>', e.g. Lockstep <lockstep@example.com>",
                        "apps[0].writeBack.signingkey: unknown field (allowed: author, signingKeyFile)",
                        "apps[0].onFailedRollout: 'rollback' is not one of report, revert",
                        "apps[0].onManualRollback: 'Heal' is not one of heal, commit, report");
    }

    @Test
    void writeBackNeedsAnAuthor() {
        assertThatThrownBy(() -> app("writeBack: {}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("apps[0].writeBack.author: required");
    }
}
