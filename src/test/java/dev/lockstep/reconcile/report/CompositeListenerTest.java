package dev.lockstep.reconcile.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every event a listener can hear reaches every listener of a composite: a forgotten override loses it silently. */
class CompositeListenerTest {
    @Test
    void everyCallbackIsFannedOutToEveryListener() throws Exception {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        ReconcileListener all = ReconcileListener.all(List.of(recording(first), recording(second)));
        List<String> callbacks = new ArrayList<>();

        for (Method m : ReconcileListener.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            callbacks.add(m.getName());
            m.invoke(
                    all,
                    Arrays.stream(m.getParameterTypes())
                            .map(CompositeListenerTest::zero)
                            .toArray());
        }

        assertThat(callbacks).contains("commitRefused", "pruneHeld", "pruneRefused", "passFinished");
        assertThat(first).containsExactlyInAnyOrderElementsOf(callbacks);
        assertThat(second).containsExactlyInAnyOrderElementsOf(callbacks);
    }

    private static ReconcileListener recording(List<String> heard) {
        return (ReconcileListener) Proxy.newProxyInstance(
                ReconcileListener.class.getClassLoader(), new Class<?>[] {ReconcileListener.class}, (p, m, args) -> {
                    if (m.getDeclaringClass() == Object.class) {
                        return m.getName().equals("equals")
                                ? p == args[0]
                                : m.getName().equals("hashCode") ? 0 : "rec";
                    }
                    heard.add(m.getName());
                    return null;
                });
    }

    private static Object zero(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == int.class) {
            return 0;
        }
        return null;
    }
}
