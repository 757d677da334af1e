package dev.lockstep.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void aChainIsOutermostFirstAndEndsAtTheRoot() {
        IOException root = new IOException("connection refused");
        IllegalStateException middle = new IllegalStateException("transport failed", root);
        RuntimeException top = new RuntimeException("fetch failed", middle);

        assertThat(Causes.chain(top)).containsExactly(top, middle, root);
        assertThat(Causes.root(top)).isSameAs(root);
        assertThat(Causes.rootMessage(top)).isEqualTo("connection refused");
        assertThat(Causes.chain(root)).containsExactly(root);
    }

    @Test
    void aCyclicChainIsWalkedOnce() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b");
        a.initCause(b);
        b.initCause(a); // a -> b -> a -> ...

        assertThat(Causes.chain(a)).containsExactly(a, b);
        assertThat(Causes.root(a)).isSameAs(b);
        assertThat(Causes.rootMessage(b)).isEqualTo("a");
    }

    @Test
    void anExceptionThatIsItsOwnCauseIsAChainOfOne() {
        RuntimeException self = new RuntimeException("self") {
            @Override
            public synchronized Throwable getCause() {
                return this;
            }
        };
        assertThat(Causes.chain(self)).containsExactly(self);
        assertThat(Causes.rootMessage(self)).isEqualTo("self");
    }

    @Test
    void aDeepChainIsCutAtSixteen() {
        Throwable deepest = new IOException("depth 0");
        Throwable t = deepest;
        for (int i = 1; i < 1000; i++) {
            t = new RuntimeException("depth " + i, t);
        }

        assertThat(Causes.chain(t)).hasSize(16).first().isSameAs(t);
        assertThat(Causes.root(t)).isSameAs(Causes.chain(t).get(15));
        assertThat(Causes.rootMessage(t)).isEqualTo("depth 984");
    }

    @Test
    void aRootWithoutMessageIsNamedByItsClass() {
        RuntimeException top = new RuntimeException("outer", new NullPointerException());

        assertThat(Causes.rootMessage(top)).isEqualTo("java.lang.NullPointerException");
        assertThat(Causes.rootMessage(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
    }
}
