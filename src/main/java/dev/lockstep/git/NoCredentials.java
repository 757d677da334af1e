package dev.lockstep.git;

import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;

/** Answers no question, so JGit never falls back to a global default provider or prompts. */
final class NoCredentials extends CredentialsProvider {
    static final NoCredentials INSTANCE = new NoCredentials();

    private NoCredentials() {}

    @Override
    public boolean isInteractive() {
        return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
        return false;
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) {
        return false;
    }
}
