package dev.tmuxorc.http;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pekko's rejections and the routes' exceptions as JSON {@code {"error", "detail"}} responses. */
final class ErrorHandlers {

  private static final Logger log = LoggerFactory.getLogger(ErrorHandlers.class);

  private ErrorHandlers() {
  }

  /**
   * Pekko's own rejection handling (404, 405 with Allow, 413, 415, 400 for malformed input...) with its plain-text
   * bodies turned into JSON: statuses and headers stay Pekko's, only the body changes.
   */
  static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(ErrorHandlers::asJson);
  }

  /** Backend failures and timeouts as 500 and 503; an over-long body as 413. */
  static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .matchAny(thrown -> Directives.complete(response(unwrap(thrown))))
        .build();
  }

  private static HttpResponse response(Throwable cause) {
    if (cause instanceof TimeoutException) {
      log.warn("HTTP API: the supervisor did not answer in time");
      return ApiError.response(StatusCodes.SERVICE_UNAVAILABLE, "backend timeout",
          "the supervisor did not answer in time; try again");
    }
    if (cause instanceof EntityStreamSizeException tooLarge) {
      return ApiError.response(StatusCodes.PAYLOAD_TOO_LARGE, "payload too large",
          "request body over " + tooLarge.limit() + " bytes");
    }
    log.error("HTTP API: request failed", cause);
    // The cause goes to the log (above), not to the client: exception texts can carry paths and SQL.
    return ApiError.response(StatusCodes.INTERNAL_SERVER_ERROR, "internal error",
        "the monitor failed to answer; its log says why");
  }

  private static Throwable unwrap(Throwable thrown) {
    Throwable t = thrown;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static HttpResponse asJson(HttpResponse response) {
    if (!(response.entity() instanceof HttpEntity.Strict strict)
        || response.entity().getContentType().mediaType().isApplication()) {
      return response;
    }
    String reason = response.status().reason().toLowerCase(Locale.ROOT);
    ApiError error = new ApiError(reason, strict.getData().utf8String());
    return error.response(response.status()).withHeaders(response.getHeaders());
  }
}
