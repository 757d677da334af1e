package dev.lockstep.manifest;

/** A problem with one document, located by file and 1-based line (0 when the whole file is at fault). */
public record ManifestError(String file, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
