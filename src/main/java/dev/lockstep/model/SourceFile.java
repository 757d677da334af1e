package dev.lockstep.model;

import java.util.Arrays;

/** One file read from a commit's tree: its path relative to the repository root, and its bytes. */
public record SourceFile(String path, byte[] content) {
    @Override
    public boolean equals(Object o) {
        return o instanceof SourceFile f && f.path.equals(path) && Arrays.equals(f.content, content);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "SourceFile[" + path + ", " + content.length + " bytes]";
    }
}
