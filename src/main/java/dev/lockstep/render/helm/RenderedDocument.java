package dev.lockstep.render.helm;

/**
 * One YAML document Helm rendered.
 *
 * @param source the template it came from as Helm names it in its {@code # Source:} comment (e.g. {@code
 *     web/templates/deployment.yaml}), or the CRD file ({@code web/crds/x.yaml})
 * @param yaml the document, without the {@code ---} separator
 */
public record RenderedDocument(String source, String yaml) {}
