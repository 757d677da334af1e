package dev.lockstep.notify;

/** The status page's address, from {@code http.externalUrl} (the page lists every app). */
final class StatusLink {
    private StatusLink() {}

    static String of(String externalUrl) {
        return externalUrl.endsWith("/") ? externalUrl : externalUrl + "/";
    }
}
