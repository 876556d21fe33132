package dev.tmuxorc.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tmuxorc.json.Json;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.RequestEntity;

/**
 * Responses as JSON through the shared mapper, written straight to bytes: pekko-http-jackson's marshaller makes
 * a String first and then encodes it, two copies of a body that is 600 KB at 1,000 agents.
 */
final class JsonBody {

  private JsonBody() {
  }

  static <T> Marshaller<T, RequestEntity> marshaller() {
    return Marshaller.withFixedContentType(ContentTypes.APPLICATION_JSON, value -> {
      try {
        return HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.MAPPER.writeValueAsBytes(value));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
      }
    });
  }
}
