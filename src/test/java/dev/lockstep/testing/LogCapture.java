package dev.lockstep.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The log lines one logger writes while open, as a user reads them ("LEVEL message"), with stack traces counted. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture(Class<?> loggerOf) {
        this(loggerOf.getName());
    }

    /** Every logger under {@code name}, e.g. "dev.lockstep" for all of Lockstep's own lines. */
    public LogCapture(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        appender.start();
        logger.addAppender(appender);
    }

    public List<String> lines() {
        return appender.list.stream()
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }

    /** Every line with the messages of its exception chain, for searches that must see everything logged. */
    public List<String> linesWithCauses() {
        return appender.list.stream()
                .map(e -> {
                    StringBuilder line = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
                    for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                        line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                    }
                    return line.toString();
                })
                .toList();
    }

    /** How many lines carried a stack trace. */
    public long withStackTrace() {
        return appender.list.stream().filter(e -> e.getThrowableProxy() != null).count();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
