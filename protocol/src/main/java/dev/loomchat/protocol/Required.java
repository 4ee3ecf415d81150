package dev.loomchat.protocol;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component as a required wire field: a frame without it (or with it
 * {@code null}) is rejected with {@link ErrorCode#BAD_REQUEST} naming the field. Components
 * without it are optional and omitted from output when {@code null}.
 *
 * <p>Why a meta-annotation: it reads as schema in the record header, and it also makes Jackson
 * fail on a missing primitive (which it would otherwise silently set to 0).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD,
        ElementType.ANNOTATION_TYPE})
@JacksonAnnotationsInside
@JsonProperty(required = true)
public @interface Required {
}
