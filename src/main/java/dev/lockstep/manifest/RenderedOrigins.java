package dev.lockstep.manifest;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.RenderedOutput;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a rendered object came from, as kustomize's {@code config.kubernetes.io/origin} annotation says (a YAML text
 * with {@code path}, or {@code configuredIn} for a generated object, relative to the rendered directory). The
 * annotation is taken off before anything is planned or applied: it is kustomize's note to Lockstep, not part of the
 * object, and it would change whenever a file moves.
 */
final class RenderedOrigins {
    static final String ORIGIN = "config.kubernetes.io/origin";

    private static final Pattern PATH = Pattern.compile("(?m)^path:\\s*(\\S.*)$");
    private static final Pattern CONFIGURED_IN = Pattern.compile("(?m)^configuredIn:\\s*(\\S.*)$");
    private static final Pattern REPO = Pattern.compile("(?m)^repo:\\s*(\\S.*)$");

    private RenderedOrigins() {}

    /** The manifest named by its origin file (no line: the object was rendered), the annotation removed. */
    static Manifest located(Manifest m, RenderedOutput output) {
        Map<String, Object> body = new LinkedHashMap<>(m.body());
        String file = output.label();
        if (body.get("metadata") instanceof Map<?, ?> metadata
                && metadata.get("annotations") instanceof Map<?, ?> annotations
                && annotations.containsKey(ORIGIN)) {
            file = origin(String.valueOf(annotations.get(ORIGIN)), output.root())
                    .orElse(file);
            Map<Object, Object> keptAnnotations = new LinkedHashMap<>(annotations);
            keptAnnotations.remove(ORIGIN);
            Map<Object, Object> keptMetadata = new LinkedHashMap<>(metadata);
            if (keptAnnotations.isEmpty()) {
                keptMetadata.remove("annotations");
            } else {
                keptMetadata.put("annotations", keptAnnotations);
            }
            body.put("metadata", keptMetadata);
        }
        return new Manifest(m.key(), m.apiVersion(), body, file, 0);
    }

    static Optional<String> origin(String annotation, String root) {
        Matcher repo = REPO.matcher(annotation);
        Matcher path = PATH.matcher(annotation);
        if (path.find()) {
            String p = unquote(path.group(1));
            return Optional.of(repo.find() ? unquote(repo.group(1)) + "//" + p : join(root, p));
        }
        Matcher configured = CONFIGURED_IN.matcher(annotation);
        if (configured.find()) {
            return Optional.of(join(root, unquote(configured.group(1))) + " (generated)");
        }
        return Optional.empty();
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && (t.startsWith("'") || t.startsWith("\"")) ? t.substring(1, t.length() - 1) : t;
    }

    /** {@code deploy/overlays/prod} + {@code ../../base/x.yaml} → {@code deploy/base/x.yaml}. */
    static String join(String root, String relative) {
        Deque<String> segments = new ArrayDeque<>();
        for (String s : (root.isEmpty() ? relative : root + "/" + relative).split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.removeLast();
                }
            } else {
                segments.addLast(s);
            }
        }
        return String.join("/", segments);
    }
}
