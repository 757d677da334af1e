package dev.lockstep.render.helm;

/**
 * helm-java's {@code template} returns only a release's manifest: Helm sets hook objects aside before it prints and
 * the library gives no way to reach them. So the chart is rendered from a working copy in which the annotation key
 * prefix {@code helm.sh/hook} reads {@link #STAND_IN}: Helm then renders hooks as ordinary objects, and the output gets
 * the real key back before anything reads it. Helm still does all the rendering; only the key's spelling is hidden from
 * its hook filter.
 */
final class HookKey {
    static final String HOOK = "helm.sh/hook";
    static final String WEIGHT = "helm.sh/hook-weight";
    static final String DELETE_POLICY = "helm.sh/hook-delete-policy";

    /** Same length as nothing in Helm, valid as an annotation key, and unlikely to be in any chart. */
    static final String STAND_IN = "lockstep.dev/stand-in-for-helm-hook";

    private HookKey() {}

    static String hide(String text) {
        return text.replace(HOOK, STAND_IN);
    }

    static String restore(String text) {
        return text.replace(STAND_IN, HOOK);
    }

    /** Byte-exact for any encoding that keeps ASCII as ASCII (UTF-8): ISO-8859-1 maps each byte to one char. */
    static byte[] hide(byte[] content) {
        String text = new String(content, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!text.contains(HOOK)) {
            return content;
        }
        return hide(text).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
