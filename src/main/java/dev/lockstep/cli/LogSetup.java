package dev.lockstep.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Lockstep's logging, set up in code (found by logback as a service) instead of a logback.xml: reading XML costs
 * every short command about 600 classes and their parsing before its first line. Text on stderr through the appender
 * OUT ({@link LogFormat#JSON} swaps its encoder), {@code dev.lockstep} at {@code LOCKSTEP_LOG_LEVEL} (INFO by
 * default), everything else at WARN. A {@code logback.configurationFile} system property or a logback-test.xml on the
 * class path (the tests) is left to logback's own configurators.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(context);
        out.setName("OUT");
        out.setTarget("System.err");
        out.setEncoder(encoder);
        out.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(out);
        context.getLogger("dev.lockstep").setLevel(Level.toLevel(setting("LOCKSTEP_LOG_LEVEL"), Level.INFO));
        // During an API server outage fabric8's elector logs a stack trace on every failed try (every retry period);
        // Lockstep logs the loss and the new term itself, once.
        context.getLogger("io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector")
                .setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** A system property, else the environment variable: what logback.xml's ${NAME} looked up. */
    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }
}
