package dev.tmuxorc.http;

import java.util.Locale;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests too malformed to reach the routes (an invalid URI such as a raw {@code %3}, a bad header) answered
 * with the API's JSON error body instead of Pekko's plain text. Named in the server's settings by class name.
 */
public final class ParseErrorResponses extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("HTTP API: unparseable request: {}", info.formatPretty()); // any local client could flood a WARN
    return ApiError.response(status, status.reason().toLowerCase(Locale.ROOT), info.summary());
  }
}
