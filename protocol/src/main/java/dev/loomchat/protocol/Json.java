package dev.loomchat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The one Jackson factory and mapper of the protocol, built once: both are thread-safe after
 * construction and expensive to build. The hot paths ({@link StreamingDecoder},
 * {@link StreamingEncoder}) use the {@link #FACTORY}'s parsers and generators directly; the
 * {@link #MAPPER} binds what they leave to it and explains rejected lines ({@link DecodeFailure}).
 * Both are configured alike, so the two paths make the same decisions.
 */
final class Json {

    /** Objects and arrays nest at most this deep (the line's own object is level 1); PROTOCOL.md §2. */
    static final int MAX_NESTING_DEPTH = 32;

    /** A JSON number has at most this many characters; PROTOCOL.md §2. */
    static final int MAX_NUMBER_LENGTH = 1000;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build();

    /**
     * The mapper's factory. Duplicate keys are errors (a duplicate {@code "ref"} or
     * {@code "type"} is ambiguous), and the nesting and number-length bounds hold.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(CONSTRAINTS)
            .recyclerPool(BufferPool.INSTANCE)
            .build();

    /**
     * The streaming paths' factory: the same, except that Jackson's duplicate detection (a hash
     * set per object) is off, because {@link StreamingDecoder} checks the few names it accepts
     * itself. Never used to decide that a line is well-formed without that check.
     */
    static final JsonFactory STREAMING_FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(CONSTRAINTS)
            .recyclerPool(BufferPool.INSTANCE)
            .build();

    /**
     * Strict about types, lenient about extra fields:
     * <ul>
     *   <li>unknown properties are ignored (forward compatibility: newer peers may add fields);</li>
     *   <li>no scalar coercion: {@code "limit":"5"}, {@code "text":5}, {@code "limit":5.0} or
     *       {@code "replay":1} are type errors, not silently converted (the spec says what each
     *       field's JSON type is, and a client must not come to depend on leniency);</li>
     *   <li>trailing data after the object and duplicate keys are errors (two objects on one
     *       line would otherwise be half-read; a duplicate {@code "ref"} or {@code "type"} is
     *       ambiguous);</li>
     *   <li>null fields are omitted on output; properties are written in record order, with
     *       {@code "type"} first.</li>
     * </ul>
     */
    static final JsonMapper MAPPER = JsonMapper.builder(FACTORY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .changeDefaultPropertyInclusion(inclusion -> inclusion
                    .withValueInclusion(JsonInclude.Include.NON_NULL)
                    .withContentInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private Json() {
    }
}
