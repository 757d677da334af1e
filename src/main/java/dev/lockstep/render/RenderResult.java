package dev.lockstep.render;

import java.time.Duration;
import java.util.List;

/** How a render ended: objects to parse, or a refusal that stalls the commit with nothing applied. */
public sealed interface RenderResult {
    /**
     * @param took   how long the engines ran (zero for plain files or a cached render)
     * @param cached true when an earlier render of the same inputs was reused
     */
    record Ok(Rendered rendered, Duration took, boolean cached) implements RenderResult {}

    /** @param errors each names the file (a kustomization, a chart) and what the engine said, trimmed */
    record Refused(List<String> errors) implements RenderResult {
        public Refused {
            errors = List.copyOf(errors);
        }
    }
}
