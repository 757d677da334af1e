package dev.lockstep.testing;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@link TestCluster} parameters. The cluster itself is chosen and started once per run (see
 * {@link BackendChoice}) and kept in the root store; each test method gets its own namespace, kept in the method's
 * store so JUnit deletes it after the test. When a test fails, the namespace's state is logged.
 */
public final class KubernetesExtension implements ParameterResolver, AfterTestExecutionCallback {

    private static final Logger log = LoggerFactory.getLogger(KubernetesExtension.class);
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(KubernetesExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Method-level context for test and @BeforeEach methods (one namespace per test); class level for
        // @BeforeAll or constructor injection (one namespace per class).
        return context.getStore(STORE)
                .getOrComputeIfAbsent(TestCluster.class, k -> newTestCluster(context), TestCluster.class);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        TestCluster cluster = context.getStore(STORE).get(TestCluster.class, TestCluster.class);
        if (cluster != null) {
            try {
                log.warn(
                        "{} failed; state of namespace {}:\n{}",
                        context.getDisplayName(),
                        cluster.namespace(),
                        cluster.describeNamespace());
            } catch (RuntimeException e) {
                log.warn("could not describe namespace {}: {}", cluster.namespace(), e.toString());
            }
        }
    }

    private static TestCluster newTestCluster(ExtensionContext context) {
        SharedCluster shared = context.getRoot()
                .getStore(STORE)
                .getOrComputeIfAbsent(SharedCluster.class, k -> SharedCluster.start(), SharedCluster.class);
        String testName = testName(context);
        String namespace = NamespaceNames.forTest(testName, ThreadLocalRandom.current());
        return TestCluster.create(shared, namespace, testName);
    }

    private static String testName(ExtensionContext context) {
        String cls = context.getRequiredTestClass().getSimpleName().replaceAll("IT$", "");
        return context.getTestMethod()
                .map(Method::getName)
                .map(m -> cls + "-" + m)
                .orElse(cls);
    }
}
