package dev.lockstep.git;

import java.util.ArrayList;
import java.util.List;

/** Normalizes an app path inside a repository and rejects anything that could point outside it. */
final class AppPath {

    private AppPath() {}

    /**
     * Returns the path in git's form: '/'-separated, no leading or trailing '/', "" for the root.
     *
     * @throws IllegalArgumentException for '..' segments, backslashes, control characters or a drive letter
     */
    static String normalize(String appPath) {
        if (appPath == null) {
            throw new IllegalArgumentException("app path must not be null");
        }
        if (appPath.indexOf('\\') >= 0 || appPath.matches("^[A-Za-z]:.*") || appPath.startsWith("~")) {
            throw new IllegalArgumentException(
                    "app path '" + appPath + "' must be a '/'-separated path inside the repository");
        }
        if (appPath.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(
                    "app path '" + appPath.replaceAll("\\p{Cntrl}", "?") + "' contains control characters");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : appPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue; // leading '/', './', trailing '/', and '//' all collapse away
            }
            if (segment.equals("..")) {
                throw new IllegalArgumentException("app path '" + appPath + "' must not contain '..'");
            }
            segments.add(segment);
        }
        return String.join("/", segments);
    }
}
