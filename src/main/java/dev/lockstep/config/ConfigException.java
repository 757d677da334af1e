package dev.lockstep.config;

import java.util.List;

/** The configuration is invalid; every problem names its field, e.g. {@code apps[0].interval}. */
public class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(source + ": invalid configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
