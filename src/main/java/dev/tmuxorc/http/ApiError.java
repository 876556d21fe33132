package dev.tmuxorc.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tmuxorc.json.Json;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** The JSON body of every error the API returns: a short error and a detail for people. */
public record ApiError(String error, String detail) {

  /** A response with this error as its JSON body. */
  public HttpResponse response(StatusCode status) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.MAPPER.writeValueAsBytes(this)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("two strings always serialize", e);
    }
  }

  public static HttpResponse response(StatusCode status, String error, String detail) {
    return new ApiError(error, detail).response(status);
  }

  /** 400: a parameter, header, path segment or body the API cannot use; {@code detail} names which and why. */
  public static HttpResponse badRequest(String detail) {
    return response(StatusCodes.BAD_REQUEST, "bad request", detail);
  }
}
