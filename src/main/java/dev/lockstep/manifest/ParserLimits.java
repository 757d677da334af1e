package dev.lockstep.manifest;

/**
 * Bounds on what one manifest file may cost to load. Git content is untrusted input: without these a single
 * committed file (an alias bomb, a 10,000-deep list, a huge blob) could exhaust the daemon's memory or stack.
 *
 * @param maxFileBytes             largest file accepted, checked before parsing (also SnakeYAML's code point limit)
 * @param maxAliasesForCollections most aliases to mappings/sequences in one document
 * @param maxNestingDepth          deepest nesting of mappings/sequences
 * @param maxExpandedSize          largest document size with every alias expanded (nodes plus scalar
 *                                 characters); aliases to scalars are not counted by SnakeYAML, and even 20
 *                                 collection aliases can multiply a document a thousandfold
 */
public record ParserLimits(int maxFileBytes, int maxAliasesForCollections, int maxNestingDepth, long maxExpandedSize) {

    public ParserLimits {
        if (maxFileBytes <= 0 || maxAliasesForCollections < 0 || maxNestingDepth <= 0 || maxExpandedSize <= 0) {
            throw new IllegalArgumentException("parser limits must be positive: " + maxFileBytes + ", "
                    + maxAliasesForCollections + ", " + maxNestingDepth + ", " + maxExpandedSize);
        }
    }

    /** 2 MiB per file, 20 collection aliases, depth 64, 16 Mi expanded. */
    public static ParserLimits defaults() {
        return new ParserLimits(2 * 1024 * 1024, 20, 64, 16L * 1024 * 1024);
    }
}
