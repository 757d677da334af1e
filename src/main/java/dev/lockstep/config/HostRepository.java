package dev.lockstep.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's path on its git host ({@code acme/deploy}; GitLab: {@code group/sub/project}), from a clone url in
 * its https, ssh or scp-like form, for the commit-status APIs.
 */
public final class HostRepository {
    /** {@code [user@]host:path}, as git reads a url without a scheme whose first colon comes before any slash. */
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/]+@)?[^:/]+:(?!//)(.+)$");

    private HostRepository() {}

    public static Optional<String> of(String url) {
        String path;
        if (url.startsWith("https://") || url.startsWith("http://") || url.startsWith("ssh://")) {
            try {
                path = new URI(url).getPath();
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        } else {
            Matcher m = SCP_LIKE.matcher(url);
            if (!m.matches()) {
                return Optional.empty();
            }
            path = m.group(1);
        }
        if (path == null) {
            return Optional.empty();
        }
        path = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        return path.contains("/") && !path.startsWith("~") ? Optional.of(path) : Optional.empty();
    }
}
