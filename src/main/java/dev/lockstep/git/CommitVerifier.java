package dev.lockstep.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.FooterKey;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Checks commits already fetched into a {@link GitSource}'s cache: signatures by trusted keys, and whether a new head
 * descends from the last applied commit.
 *
 * <p><b>Trusted base.</b> Under a range check, a commit signed by a trusted key that carries the trailer
 * {@value #TRUST_BASE}{@code : yes} vouches for its ancestors: they are not checked. That is the way out of an
 * unsigned commit in the range, and it needs a trusted key.
 */
public final class CommitVerifier {
    /** The trailer of a signed commit that makes it the new trusted base. */
    public static final String TRUST_BASE = "Lockstep-Trust-Base";

    private static final FooterKey TRUST_BASE_KEY = new FooterKey(TRUST_BASE);

    /** How many failing commits one check reports at most. */
    static final int MAX_REPORTED = 10;

    private final GitSource source;
    private final TrustedKeys keys;
    private final SignatureCheck check;

    public CommitVerifier(GitSource source, TrustedKeys keys) {
        this.source = source;
        this.keys = keys;
        this.check = new SignatureCheck(keys);
    }

    /** A commit that failed verification, and why. */
    public record Failure(String commit, String reason) {}

    /** The head alone must be signed by a trusted key. Empty when it is. */
    public List<Failure> verifyHead(String head) throws GitSourceException {
        Optional<Failure> unreadable = unreadableKeys(head);
        if (unreadable.isPresent()) {
            return List.of(unreadable.get());
        }
        return source.withRepository("verify commits of", repo -> {
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit commit = walk.parseCommit(ObjectId.fromString(head));
                return check.check(repo, commit)
                        .map(reason -> List.of(new Failure(head, reason)))
                        .orElse(List.of());
            }
        });
    }

    /**
     * Every commit reachable from {@code head} and not from {@code base} must be signed by a trusted key, except the
     * ancestors of a trusted base. With {@code base} empty, {@code from} itself and everything after it up to the head.
     *
     * @param base the last applied commit, excluded (with its ancestors); ignored when not in the cache
     * @param from the oldest commit to verify when there is no base; must be an ancestor of the head
     * @return the failing commits, newest first, at most {@value #MAX_REPORTED}; empty when all are trusted
     */
    public List<Failure> verifyRange(Optional<String> base, Optional<String> from, String head)
            throws GitSourceException {
        Optional<Failure> unreadable = unreadableKeys(head);
        if (unreadable.isPresent()) {
            return List.of(unreadable.get());
        }
        return source.withRepository("verify commits of", repo -> {
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit tip = walk.parseCommit(ObjectId.fromString(head));
                Optional<RevCommit> exclude = present(repo, walk, base);
                Optional<RevCommit> oldest = exclude.isPresent() ? Optional.empty() : present(repo, walk, from);
                if (exclude.isEmpty() && from.isPresent()) {
                    if (oldest.isEmpty() || !walk.isMergedInto(oldest.get(), tip)) {
                        return List.of(
                                new Failure(head, "verify.since " + from.get() + " is not an ancestor of the head"));
                    }
                }
                Set<ObjectId> range = range(walk, tip, exclude, oldest);
                return failures(repo, walk, tip, range);
            }
        });
    }

    /** Whether {@code commit} is {@code ancestor} or descends from it; false when {@code ancestor} is not in the cache. */
    public boolean descends(String commit, String ancestor) throws GitSourceException {
        return source.withRepository("check the history of", repo -> {
            if (!repo.getObjectDatabase().has(ObjectId.fromString(ancestor))) {
                return false; // the whole branch was fetched: an ancestor would be here
            }
            try (RevWalk walk = new RevWalk(repo)) {
                return walk.isMergedInto(
                        walk.parseCommit(ObjectId.fromString(ancestor)), walk.parseCommit(ObjectId.fromString(commit)));
            }
        });
    }

    private static Set<ObjectId> range(
            RevWalk walk, RevCommit tip, Optional<RevCommit> exclude, Optional<RevCommit> oldest) throws IOException {
        walk.reset();
        walk.markStart(tip);
        if (exclude.isPresent()) {
            walk.markUninteresting(exclude.get());
        } else if (oldest.isPresent()) {
            for (RevCommit parent : oldest.get().getParents()) {
                walk.markUninteresting(walk.parseCommit(parent));
            }
        } else {
            return Set.of(tip.copy()); // nothing applied yet and no verify.since: the head alone
        }
        Set<ObjectId> range = new HashSet<>();
        for (RevCommit c : walk) {
            range.add(c.copy());
        }
        return range;
    }

    /** Newest first from the head, not descending past a trusted base. */
    private List<Failure> failures(Repository repo, RevWalk walk, RevCommit tip, Set<ObjectId> range)
            throws IOException {
        List<Failure> failures = new ArrayList<>();
        Deque<ObjectId> todo = new ArrayDeque<>(List.of(tip.copy()));
        Set<ObjectId> seen = new HashSet<>();
        while (!todo.isEmpty() && failures.size() < MAX_REPORTED) {
            ObjectId id = todo.removeFirst();
            if (!range.contains(id) || !seen.add(id)) {
                continue;
            }
            RevCommit commit = walk.parseCommit(id);
            Optional<String> reason = check.check(repo, commit);
            if (reason.isPresent()) {
                failures.add(new Failure(id.name(), reason.get()));
            } else if (isTrustBase(commit)) {
                continue; // a trusted key vouches for everything before it
            }
            for (RevCommit parent : commit.getParents()) {
                todo.addLast(parent.copy());
            }
        }
        return failures;
    }

    static boolean isTrustBase(RevCommit commit) {
        for (FooterLine line : commit.getFooterLines()) {
            if (line.matches(TRUST_BASE_KEY) && line.getValue().trim().equalsIgnoreCase("yes")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<RevCommit> present(Repository repo, RevWalk walk, Optional<String> commit)
            throws IOException {
        if (commit.isEmpty() || !repo.getObjectDatabase().has(ObjectId.fromString(commit.get()))) {
            return Optional.empty();
        }
        return Optional.of(walk.parseCommit(ObjectId.fromString(commit.get())));
    }

    /** A configured key file that cannot be read fails the check itself, naming the file and the field. */
    private Optional<Failure> unreadableKeys(String head) {
        return unreadable(keys.allowedSignersFile(), "allowedSignersFile", head)
                .or(() -> unreadable(keys.openpgpKeysFile(), "openpgpKeysFile", head));
    }

    private static Optional<Failure> unreadable(Optional<Path> file, String field, String head) {
        if (file.isPresent() && !Files.isReadable(file.get())) {
            return Optional.of(new Failure(head, "verify." + field + " " + file.get() + " cannot be read"));
        }
        return Optional.empty();
    }
}
