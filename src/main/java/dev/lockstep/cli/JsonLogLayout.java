package dev.lockstep.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per line, for log shippers (Loki, Elasticsearch, Cloud Logging): {@code time} (RFC 3339, UTC),
 * {@code level}, {@code logger}, {@code thread}, {@code message}, the pass's fields where known ({@code app},
 * {@code commit}, {@code workload}, {@code revision}, {@code event}), and {@code error} with the stack when there is
 * one. Messages are Lockstep's own lines, which carry no secrets; this only encodes them.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    /** The fields of the pass, set in the MDC where they are known. */
    static final List<String> PASS_FIELDS = List.of("app", "commit", "workload", "revision", "event");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "time", TIME.format(event.getInstant()));
        field(json, "level", event.getLevel().toString());
        field(json, "logger", event.getLoggerName());
        field(json, "thread", event.getThreadName());
        field(json, "message", event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        for (String key : PASS_FIELDS) {
            String value = mdc == null ? null : mdc.get(key);
            if (value != null && !value.isEmpty()) {
                field(json, key, value);
            }
        }
        if (event.getThrowableProxy() != null) {
            field(json, "error", stack(event.getThrowableProxy()));
        }
        return json.append("}\n").toString();
    }

    private static String stack(IThrowableProxy t) {
        StringBuilder out = new StringBuilder();
        for (IThrowableProxy cause = t; cause != null; cause = cause.getCause()) {
            out.append(cause == t ? "" : "Caused by: ")
                    .append(cause.getClassName())
                    .append(": ")
                    .append(cause.getMessage())
                    .append('\n');
            for (StackTraceElementProxy frame : cause.getStackTraceElementProxyArray()) {
                out.append("\tat ").append(frame.getStackTraceElement()).append('\n');
            }
        }
        return out.toString();
    }

    private static void field(StringBuilder json, String name, String value) {
        if (json.length() > 1) {
            json.append(',');
        }
        quote(json, name);
        json.append(':');
        quote(json, value == null ? "" : value);
    }

    /** A JSON string (RFC 8259): quote, backslash and control characters escaped. */
    static void quote(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
