package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LockstepConfigTest {
    private static final String TWO_APPS = """
            apps:
              - {name: front, namespace: front, repo: {url: "https://git.example.com/front.git"}}
              - {name: back, namespace: back, repo: {url: "https://git.example.com/back.git"}}
            """;

    /**
     * Every top-level setting gets a value no default has, through the canonical constructor: a field added to the
     * record and not carried over by {@link LockstepConfig#onlyApp} fails here, and a type without a sample asks for
     * one.
     */
    @Test
    void narrowingToOneAppKeepsEveryOtherTopLevelSetting() throws Exception {
        List<AppSpec> apps =
                new ConfigLoader().parse("two-apps.yaml", TWO_APPS, null).apps();
        RecordComponent[] components = LockstepConfig.class.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = components[i].getName().equals("apps")
                    ? apps
                    : sample(components[i].getName(), components[i].getGenericType(), i);
        }
        Constructor<LockstepConfig> canonical = LockstepConfig.class.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        LockstepConfig loaded = canonical.newInstance(values);

        LockstepConfig narrowed = loaded.onlyApp("back").orElseThrow();

        assertThat(narrowed.apps()).extracting(AppSpec::name).containsExactly("back");
        for (RecordComponent c : components) {
            if (!c.getName().equals("apps")) {
                assertThat(c.getAccessor().invoke(narrowed))
                        .as("--app keeps %s", c.getName())
                        .isEqualTo(c.getAccessor().invoke(loaded));
            }
        }
        assertThat(loaded.onlyApp("gone")).isEmpty();
    }

    private static Object sample(String name, Type type, int i) {
        if (type == Path.class) {
            return Path.of("/sample", name);
        }
        if (type == String.class) {
            return "sample-" + name.toLowerCase();
        }
        if (type == int.class) {
            return 4000 + i;
        }
        if (type == boolean.class) {
            return true; // every boolean setting defaults to false
        }
        if (type == Duration.class) {
            return Duration.ofSeconds(4000 + i);
        }
        if (type == NotificationSettings.class) {
            return new NotificationSettings(Optional.of("https://sample-" + i), List.of());
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            return Optional.of(sample(name, p.getActualTypeArguments()[0], i));
        }
        return fail("no sample value for LockstepConfig.%s of type %s: add one here", name, type);
    }
}
