package dev.lockstep.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Lockstep may push commits to the app's branch, with the repository's own credentials. Never forced.
 *
 * @param authorName     author and committer of Lockstep's commits
 * @param signingKeyFile an SSH private key: commits are signed in git's SSH signature format when set
 */
public record WriteBackSpec(String authorName, String authorEmail, Optional<Path> signingKeyFile) {}
