package org.parley.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Base64;

/**
 * The one JSON codec of the wire protocol. Bytes travel as unpadded base64url; coercions that would
 * let a wrong field type pass silently (a string for a number, a float for an int, null for a
 * primitive) are refused so that bad input becomes {@link ErrorCode#INVALID_REQUEST}.
 */
public final class Json {
  private static final ObjectMapper MAPPER = build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  public static String writeString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Decodes a request body, mapping every failure to a {@link ProtocolException}: unparseable JSON
   * to {@code malformed_json}, a valid JSON document of the wrong shape to {@code invalid_request}.
   */
  public static <T> T read(byte[] body, Class<T> type) {
    T value;
    try {
      value = MAPPER.readValue(body, type);
    } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
      throw new ProtocolException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON");
    } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ProtocolException refused) {
        throw refused; // a record that names its own code (a key of the wrong length: invalid_key)
      }
      String why =
          cause != null && cause.getMessage() != null ? cause.getMessage() : "invalid value";
      throw new ProtocolException(ErrorCode.INVALID_REQUEST, why);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      // A truncated document can surface as a mapping problem of the half-read object; only a
      // document that parses is of the wrong shape. Parsing again happens only on this error path.
      if (!wellFormed(body)) {
        throw new ProtocolException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON");
      }
      throw new ProtocolException(ErrorCode.INVALID_REQUEST, describe(e));
    } catch (IOException | IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON");
    }
    if (value == null) {
      throw new ProtocolException(ErrorCode.INVALID_REQUEST, "the body must be a JSON object");
    }
    return value;
  }

  private static boolean wellFormed(byte[] body) {
    try {
      com.fasterxml.jackson.databind.JsonNode tree = MAPPER.readTree(body);
      return tree != null && !tree.isMissingNode();
    } catch (IOException e) {
      return false;
    }
  }

  public static <T> T read(String body, Class<T> type) {
    return read(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
  }

  private static String describe(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    String field = path.isEmpty() ? "the body" : "field '" + path + "'";
    return field + " has the wrong type or value";
  }

  private static ObjectMapper build() {
    SimpleModule bytes = new SimpleModule("parley-base64url");
    bytes.addSerializer(byte[].class, new Base64UrlSerializer());
    bytes.addDeserializer(byte[].class, new Base64UrlDeserializer());
    JsonMapper mapper =
        JsonMapper.builder()
            .addModule(bytes)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    return mapper;
  }

  /** Encodes bytes as unpadded base64url, the form every byte field takes on the wire. */
  public static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Decodes base64url with or without padding; throws {@link IllegalArgumentException} if bad. */
  public static byte[] fromBase64Url(String text) {
    return Base64.getUrlDecoder().decode(text);
  }

  private static final class Base64UrlSerializer extends JsonSerializer<byte[]> {
    @Override
    public void serialize(byte[] value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(base64Url(value));
    }
  }

  private static final class Base64UrlDeserializer extends JsonDeserializer<byte[]> {
    @Override
    public byte[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (byte[]) ctxt.handleUnexpectedToken(byte[].class, p);
      }
      try {
        return fromBase64Url(p.getText());
      } catch (IllegalArgumentException e) {
        throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(
            p, "not base64url", p.getText(), byte[].class);
      }
    }
  }
}
