package dev.lockstep.history;

import dev.lockstep.util.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The images a pod template runs: what tells one revision from another at a glance. */
public final class Images {
    private Images() {}

    /** The images of a pod template's containers, in order. */
    public static List<String> of(Map<String, Object> template) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> c : Tree.maps(template, "spec", "containers")) {
            Object image = c.get("image");
            if (image != null) {
                out.add(image.toString());
            }
        }
        return out;
    }
}
