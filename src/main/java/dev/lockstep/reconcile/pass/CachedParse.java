package dev.lockstep.reconcile.pass;

import dev.lockstep.manifest.ParseResult;
import java.util.Optional;

/**
 * The key a commit's parse is kept under across processes (the app path's tree id and the render settings), and the
 * clean parse found there, if any: with one, nothing is read from git and no YAML is parsed.
 */
record CachedParse(String key, Optional<ParseResult> hit) {}
