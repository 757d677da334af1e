package dev.lockstep.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** {@code text} (the default, for terminals) or {@code json} (one object per line, for log shippers). */
enum LogFormat {
    TEXT,
    JSON;

    static Optional<LogFormat> of(String name) {
        for (LogFormat f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(name.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Switches the root logger's console output to this format (text is what LogSetup sets up). */
    void apply() {
        if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                JsonLogLayout layout = new JsonLogLayout();
                layout.setContext(context);
                layout.start();
                LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
                encoder.setContext(context);
                encoder.setLayout(layout);
                encoder.start();
                out.setEncoder(encoder); // called before the daemon starts its threads
            }
        }
    }
}
