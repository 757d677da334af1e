package dev.lockstep.git;

import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/**
 * One remote repository and branch to follow. {@link #toString()} scrubs credentials from the url.
 *
 * @param caFile PEM file of CA certificates trusted for this repository's https server only, on top of the system's
 *     trust (a company CA); the JVM's trust store is never changed
 */
public record RepoSpec(String url, String branch, GitCredentials credentials, Optional<Path> caFile) {

    public static final String DEFAULT_BRANCH = "main";

    public RepoSpec {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("repository url must not be blank");
        }
        branch = branch == null || branch.isBlank() ? DEFAULT_BRANCH : branch.strip();
        if (branch.startsWith("refs/") || !Repository.isValidRefName("refs/heads/" + branch)) {
            throw new IllegalArgumentException("invalid branch name '" + branch + "' (give a short name like 'main')");
        }
        credentials = credentials == null ? GitCredentials.none() : credentials;
        caFile = caFile == null ? Optional.empty() : caFile;
    }

    public RepoSpec(String url, String branch, GitCredentials credentials) {
        this(url, branch, credentials, Optional.empty());
    }

    public RepoSpec(String url) {
        this(url, DEFAULT_BRANCH, GitCredentials.none(), Optional.empty());
    }

    public RepoSpec(String url, String branch) {
        this(url, branch, GitCredentials.none(), Optional.empty());
    }

    /** The url safe to show in logs and errors. */
    public String displayUrl() {
        return UrlScrubber.scrub(url);
    }

    String branchRef() {
        return "refs/heads/" + branch;
    }

    @Override
    public String toString() {
        return "RepoSpec[url=" + displayUrl() + ", branch=" + branch + ", credentials=" + credentials
                + caFile.map(f -> ", caFile=" + f).orElse("") + "]";
    }
}
