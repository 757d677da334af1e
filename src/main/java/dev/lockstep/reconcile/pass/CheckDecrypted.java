package dev.lockstep.reconcile.pass;

import dev.lockstep.model.RenderedOutput;
import dev.lockstep.model.Revision;
import dev.lockstep.render.Rendered;
import dev.lockstep.secrets.SopsDecryptor;
import java.util.List;

/**
 * Decryption's last word before validation: the render read every file of the commit through a {@link DecryptingTree},
 * so nothing encrypted should be left. A SOPS document still in an engine's output (one kustomize fetched from a
 * remote base, which Lockstep never sees as a file) stalls the commit rather than reach the cluster as ciphertext.
 */
final class CheckDecrypted implements Step {
    private final SopsDecryptor decryptor;

    CheckDecrypted(SopsDecryptor decryptor) {
        this.decryptor = decryptor;
    }

    @Override
    public StepResult run(Pass pass) {
        Revision commit = pass.requireCommit();
        Rendered rendered = pass.requireRendered();
        List<String> left = rendered.outputs().stream()
                .filter(o -> decryptor.anyDocumentEncrypted(o.yaml()))
                .map(RenderedOutput::label)
                .toList();
        if (left.isEmpty()) {
            return new StepResult.Continue(pass);
        }
        return new StepResult.Stalled(
                pass,
                left.stream()
                        .map(label -> "commit " + commit.shortSha() + ": " + label
                                + " printed a SOPS-encrypted document that Lockstep did not read as a file (a remote"
                                + " base?); it is not applied encrypted (nothing applied, nothing pruned)")
                        .toList());
    }
}
