package dev.lockstep.notify;

import tools.jackson.databind.json.JsonMapper;

/** Request bodies as JSON (the maps keep their order, so bodies read in the order the docs show). */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
