package dev.lockstep.git;

import dev.lockstep.model.Revision;
import java.io.IOException;
import java.util.Locale;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** JGit commits to and from the project's values: a full commit id in, a {@link Revision} out. */
final class Commits {
    private Commits() {}

    /** @throws IllegalArgumentException if {@code commit} is not a full 40-hex id */
    static ObjectId id(String commit) {
        if (commit == null || !ObjectId.isId(commit.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("commit must be a full 40-hex id, was '" + commit + "'");
        }
        return ObjectId.fromString(commit.toLowerCase(Locale.ROOT));
    }

    static Revision describe(Repository repo, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return revision(walk.parseCommit(id));
        }
    }

    static Revision revision(RevCommit c) {
        String message = c.getFullMessage();
        int eol = message.indexOf('\n');
        String subject = (eol < 0 ? message : message.substring(0, eol)).strip();
        // Committer time: when the commit landed, which is what history ordering cares about.
        return new Revision(
                c.name(),
                subject,
                message,
                c.getAuthorIdent().getName(),
                c.getAuthorIdent().getEmailAddress(),
                c.getCommitterIdent().getWhenAsInstant());
    }
}
