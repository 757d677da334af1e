package dev.lockstep.secrets;

/**
 * A SOPS document that cannot be decrypted or whose MAC does not hold. The message names the file and, where one is
 * concerned, the key path; it never holds a value, encrypted or not.
 */
public final class SopsException extends Exception {
    private final String file;

    public SopsException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public String file() {
        return file;
    }
}
