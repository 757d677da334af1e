package dev.lockstep.secrets;

import java.util.Arrays;
import java.util.Set;

/**
 * A decrypted SOPS file: its plaintext in the file's own format, without the {@code sops} metadata, and every value
 * that was encrypted in it, so outputs can mask them. {@code toString} shows neither.
 *
 * @param path the file's path, as given
 * @param content the plaintext document (YAML, JSON, dotenv) or, for a binary file, its bytes
 * @param secretValues the plaintext of each encrypted string value (not empty); numbers and booleans are left out
 */
public record DecryptedFile(String path, SopsFormat format, byte[] content, Set<String> secretValues) {
    public DecryptedFile {
        secretValues = Set.copyOf(secretValues);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecryptedFile f
                && f.path.equals(path)
                && f.format == format
                && Arrays.equals(f.content, content)
                && f.secretValues.equals(secretValues);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "DecryptedFile[" + path + ", " + format + ", " + content.length + " bytes, " + secretValues.size()
                + " secret values]";
    }
}
