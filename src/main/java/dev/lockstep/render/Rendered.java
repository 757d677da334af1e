package dev.lockstep.render;

import dev.lockstep.model.RenderedOutput;
import dev.lockstep.model.SourceFile;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What one app's path at one commit became before parsing: plain files read as they are, and the outputs of render
 * engines. Steps after the render (decryption) may replace either; parsing and validation take both.
 *
 * @param inputKey a digest of everything the render read (object ids, engine, settings): equal keys render equally
 */
public record Rendered(List<SourceFile> files, List<RenderedOutput> outputs, String inputKey) {
    public Rendered {
        files = List.copyOf(files);
        outputs = List.copyOf(outputs);
    }

    /** Which engines rendered it ({@code kustomize v5.5.0}), or "" for plain files only. */
    public String engine() {
        return outputs.stream()
                .map(RenderedOutput::producer)
                .distinct()
                .sorted()
                .collect(Collectors.joining(", "));
    }

    public Rendered withFiles(List<SourceFile> replaced) {
        return new Rendered(replaced, outputs, inputKey);
    }

    public Rendered withOutputs(List<RenderedOutput> replaced) {
        return new Rendered(files, replaced, inputKey);
    }
}
