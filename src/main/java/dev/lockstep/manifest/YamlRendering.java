package dev.lockstep.manifest;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** An object as block-style YAML lines, the way {@code kubectl get -o yaml} shows it (for diffs). */
public final class YamlRendering {
    private YamlRendering() {}

    public static List<String> lines(Map<String, Object> object) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        return List.of(new Yaml(options).dump(object).split("\n"));
    }
}
