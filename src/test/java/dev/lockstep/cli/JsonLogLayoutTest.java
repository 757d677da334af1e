package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code --log-format json}: every line one JSON object a shipper can parse, with the pass's fields. */
class JsonLogLayoutTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Lines written through the layout by a logger of a context of its own. */
    private static List<JsonNode> logged(java.util.function.Consumer<Logger> writes) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        JsonLogLayout layout = new JsonLogLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> out = new OutputStreamAppender<>();
        out.setContext(context);
        out.setEncoder(encoder);
        out.setOutputStream(bytes);
        out.start();
        Logger logger = context.getLogger("dev.lockstep.jsontest");
        logger.setAdditive(false); // only into this test's stream
        logger.addAppender(out);
        try {
            writes.accept(logger);
        } finally {
            logger.detachAppender(out);
            out.stop();
        }
        return bytes.toString(StandardCharsets.UTF_8)
                .lines()
                .map(JSON::readTree)
                .toList();
    }

    @Test
    void eachLineIsOneObjectWithTimeLevelLoggerMessageAndThePassFields() {
        List<JsonNode> lines = logged(log -> {
            try (MDC.MDCCloseable app = MDC.putCloseable("app", "shop");
                    MDC.MDCCloseable commit = MDC.putCloseable("commit", "3f2a9c1d");
                    MDC.MDCCloseable workload = MDC.putCloseable("workload", "Deployment shop/web");
                    MDC.MDCCloseable revision = MDC.putCloseable("revision", "3");
                    MDC.MDCCloseable event = MDC.putCloseable("event", "rollout-failed")) {
                log.warn("app {}: commit \"v3\" failed:\n\tdeadline {}", "shop", "exceeded \\ \u0001");
            }
            log.info("no pass here");
        });

        assertThat(lines).hasSize(2);
        JsonNode first = lines.get(0);
        assertThat(OffsetDateTime.parse(first.get("time").asString())
                        .getOffset()
                        .getId())
                .isEqualTo("Z");
        assertThat(first.get("time").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}.*Z");
        assertThat(first.get("level").asString()).isEqualTo("WARN");
        assertThat(first.get("logger").asString()).isEqualTo("dev.lockstep.jsontest");
        assertThat(first.get("message").asString())
                .isEqualTo("app shop: commit \"v3\" failed:\n\tdeadline exceeded \\ \u0001");
        assertThat(first.get("app").asString()).isEqualTo("shop");
        assertThat(first.get("commit").asString()).isEqualTo("3f2a9c1d");
        assertThat(first.get("workload").asString()).isEqualTo("Deployment shop/web");
        assertThat(first.get("revision").asString()).isEqualTo("3");
        assertThat(first.get("event").asString()).isEqualTo("rollout-failed");
        assertThat(lines.get(1).has("app")).isFalse();
    }

    @Test
    void anExceptionGoesIntoTheSameLine() {
        List<JsonNode> lines = logged(log -> log.error("a bug", new IllegalStateException("boom", new Error("root"))));

        assertThat(lines)
                .singleElement()
                .satisfies(line -> assertThat(line.get("error").asString())
                        .startsWith("java.lang.IllegalStateException: boom\n\tat ")
                        .contains("Caused by: java.lang.Error: root"));
    }

    @Test
    void theFormatIsTextOrJsonAndNothingElse() {
        assertThat(LogFormat.of("json")).hasValue(LogFormat.JSON);
        assertThat(LogFormat.of("TEXT")).hasValue(LogFormat.TEXT);
        assertThat(LogFormat.of("logfmt")).isEmpty();

        CliTest.Result run = CliTest.run("run", "--log-format", "logfmt", "--config", "/nonexistent.yaml");
        assertThat(run.code()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--log-format must be text or json, not 'logfmt'");
    }
}
