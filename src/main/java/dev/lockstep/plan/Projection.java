package dev.lockstep.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a live object that a manifest speaks about: the same keys, with the live values. Comparing the
 * projection of the cached object with the projection recorded after the last apply finds drift without any
 * API request, and ignores whatever the server or other controllers own.
 */
public final class Projection {
    private Projection() {}

    public static Object project(Object live, Object shape) {
        if (shape instanceof Map<?, ?> shapeMap) {
            if (!(live instanceof Map<?, ?> liveMap)) {
                return live;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : shapeMap.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("status") || key.equals("apiVersion") || key.equals("kind")) {
                    continue;
                }
                out.put(key, project(liveMap.get(key), e.getValue()));
            }
            return out;
        }
        if (shape instanceof List<?> shapeList) {
            if (!(live instanceof List<?> liveList) || liveList.size() != shapeList.size()) {
                return live;
            }
            List<Object> out = new ArrayList<>(shapeList.size());
            for (int i = 0; i < shapeList.size(); i++) {
                out.add(project(liveList.get(i), shapeList.get(i)));
            }
            return out;
        }
        return live;
    }
}
