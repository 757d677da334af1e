package dev.lockstep.manifest;

import dev.lockstep.model.SourceFile;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Turns one file into its YAML documents (node graph plus the plain Java value SafeConstructor builds from it),
 * with SnakeYAML's safety limits on. Knows nothing about Kubernetes.
 *
 * <p>Error messages are built only from SnakeYAML's problem/context descriptions and marks ({@link YamlProblems}),
 * never from {@code getMessage()}, which quotes the offending source line — and that line may hold a Secret.
 */
final class YamlDocuments {

    /** One non-empty document; {@code node} carries the lines, {@code value} the content. */
    record Document(String file, Node node, Object value) {
        int line() {
            return YamlDocuments.line(node.getStartMark());
        }
    }

    record Result(List<Document> documents, List<ManifestError> errors) {}

    private final ParserLimits limits;
    private final NodeChecks checks;

    YamlDocuments(ParserLimits limits) {
        this.limits = limits;
        this.checks = new NodeChecks(limits.maxExpandedSize());
    }

    Result read(SourceFile file) {
        String path = file.path();
        List<ManifestError> errors = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        if (file.content().length > limits.maxFileBytes()) {
            errors.add(new ManifestError(
                    path,
                    0,
                    "file is " + file.content().length + " bytes, larger than the limit of " + limits.maxFileBytes()
                            + " bytes"));
            return new Result(documents, errors);
        }
        String text;
        try {
            text = decode(file.content());
        } catch (InvalidUtf8 e) {
            errors.add(new ManifestError(path, e.line, "file is not valid UTF-8"));
            return new Result(documents, errors);
        }

        LoaderOptions options = loaderOptions();
        text = SeparatingTabs.asSpaces(text, options);
        LineTrackingParser parser = new LineTrackingParser(new ParserImpl(new StreamReader(text), options));
        Composer composer = new Composer(parser, new KubectlResolver(), options);
        DocumentConstructor constructor = new DocumentConstructor(options);
        try {
            while (composer.checkNode()) {
                Node node = composer.getNode();
                if (node == null || isEmpty(node)) {
                    continue;
                }
                Optional<ManifestError> problem = checks.check(path, node);
                if (problem.isPresent()) {
                    errors.add(problem.get());
                    continue;
                }
                try {
                    documents.add(new Document(path, node, constructor.construct(node)));
                } catch (RuntimeException e) {
                    // construction failures don't break the stream: keep going to report later documents too
                    errors.add(error(path, e, line(node.getStartMark()), text));
                }
            }
        } catch (RuntimeException e) {
            // the parser can't resynchronise after a syntax error: the rest of this file is lost
            errors.add(error(path, e, parser.lastLine, text));
        }
        return new Result(documents, errors);
    }

    private LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(limits.maxAliasesForCollections());
        options.setNestingDepthLimit(limits.maxNestingDepth());
        options.setCodePointLimit(limits.maxFileBytes());
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private static boolean isEmpty(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    private ManifestError error(String path, RuntimeException e, int fallbackLine, String text) {
        if (e instanceof DuplicateKeyException d) {
            // the key is only echoed back when it looks like a field name, so odd keys can't leak content
            String named = YamlProblems.duplicateKey(d)
                    .map(key -> "duplicate key '" + key + "'")
                    .orElse("duplicate key");
            return new ManifestError(
                    path,
                    lineOr(d.getProblemMark(), fallbackLine),
                    named + " (keys must be unique within a mapping; the mapping starts at line "
                            + lineOr(d.getContextMark(), fallbackLine) + ")");
        }
        if (e instanceof MarkedYAMLException m) {
            int line = lineOr(m.getProblemMark(), lineOr(m.getContextMark(), fallbackLine));
            return new ManifestError(path, line, "invalid YAML: " + YamlProblems.describe(m));
        }
        if (e instanceof ReaderException r) {
            return new ManifestError(
                    path,
                    lineAt(text, r.getPosition()),
                    String.format("special character U+%04X is not allowed", r.getCodePoint()));
        }
        // Unmarked exceptions: the limit ones have fixed wording; any other message might quote content
        String raw = String.valueOf(e.getMessage());
        if (raw.startsWith("Number of aliases")) {
            return new ManifestError(
                    path,
                    fallbackLine,
                    "too many aliases to mappings or sequences (limit " + limits.maxAliasesForCollections() + ")");
        }
        if (raw.startsWith("Nesting Depth exceeded")) {
            return new ManifestError(path, fallbackLine, "nesting deeper than " + limits.maxNestingDepth() + " levels");
        }
        if (raw.contains("exceeds the limit")) {
            return new ManifestError(
                    path, fallbackLine, "document larger than " + limits.maxFileBytes() + " code points");
        }
        return new ManifestError(
                path, fallbackLine, "could not load YAML (" + e.getClass().getSimpleName() + ")");
    }

    static int line(Mark mark) {
        return mark == null ? 0 : mark.getLine() + 1;
    }

    private static int lineOr(Mark mark, int fallback) {
        return mark == null ? fallback : line(mark);
    }

    private static int lineAt(String text, int codePointIndex) {
        int line = 1;
        int end = text.offsetByCodePoints(
                0, Math.min(Math.max(codePointIndex, 0), text.codePointCount(0, text.length())));
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Strict UTF-8 (a lenient decoder would silently turn bad bytes into U+FFFD); drops a leading BOM. */
    private static String decode(byte[] bytes) throws InvalidUtf8 {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new InvalidUtf8(lineAtByte(bytes, in.position()));
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static int lineAtByte(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static final class InvalidUtf8 extends Exception {
        final int line;

        InvalidUtf8(int line) {
            super(null, null, false, false);
            this.line = line;
        }
    }

    /** Remembers the line of the last event, so limit errors (which SnakeYAML raises without a mark) get one. */
    private static final class LineTrackingParser implements Parser {
        private final Parser delegate;
        int lastLine;

        LineTrackingParser(Parser delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return track(delegate.peekEvent());
        }

        @Override
        public Event getEvent() {
            return track(delegate.getEvent());
        }

        private Event track(Event event) {
            if (event != null && event.getStartMark() != null) {
                lastLine = line(event.getStartMark());
            }
            return event;
        }
    }

    /** SafeConstructor, opened up to build one already-composed document. */
    private static final class DocumentConstructor extends SafeConstructor {
        DocumentConstructor(LoaderOptions options) {
            super(options);
            // the constructor keeps its own copy of this flag (default: allow); only Yaml copies it over
            setAllowDuplicateKeys(options.isAllowDuplicateKeys());
            yamlConstructors.put(Tag.FLOAT, new WholeFloatsAsIntegers());
        }

        Object construct(Node node) {
            return constructDocument(node);
        }

        /**
         * kubectl sends {@code 3.0} and {@code 1e3} as the JSON numbers 3 and 1000 (a whole float64 prints without a
         * fraction), which an integer field takes; a Double would go out as 3.0, which the API server refuses there.
         */
        private final class WholeFloatsAsIntegers extends ConstructYamlFloat {
            @Override
            public Object construct(Node node) {
                Object value = super.construct(node);
                if (!(value instanceof Double d) || !Double.isFinite(d) || d != Math.rint(d)) {
                    return value;
                }
                BigInteger whole = new BigDecimal(d).toBigIntegerExact();
                if (whole.bitLength() < Integer.SIZE) {
                    return whole.intValue();
                }
                return whole.bitLength() < Long.SIZE ? (Object) whole.longValue() : whole;
            }
        }
    }
}
