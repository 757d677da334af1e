package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fenced ports wrap every method of their port. A port method with a default body that the wrapper does not
 * override would skip the delegate (and the fence) silently, so a new port method must be added to its wrapper too.
 */
class FencedPortsTest {

    @Test
    void everyPortMethodIsDelegatedByItsFencedWrapper() {
        assertThat(notOverridden(ObjectApi.class, FencedObjectApi.class)).isEmpty();
        assertThat(notOverridden(AppRecords.class, FencedAppRecords.class)).isEmpty();
        assertThat(notOverridden(ControllerRevisions.class, FencedControllerRevisions.class))
                .isEmpty();
    }

    private static List<String> notOverridden(Class<?> port, Class<?> wrapper) {
        return Arrays.stream(port.getMethods())
                .filter(m -> !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
                .filter(m -> declaringClassOf(wrapper, m) != wrapper)
                .map(Method::getName)
                .toList();
    }

    private static Class<?> declaringClassOf(Class<?> wrapper, Method m) {
        try {
            return wrapper.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
