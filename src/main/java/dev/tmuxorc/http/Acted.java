package dev.tmuxorc.http;

import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * How a request to act ended (a message typed into a pane, a report acknowledged): an outcome word, a detail for
 * people, and fields of its own; the routes answer it as JSON with the status its outcome stands for.
 *
 * <p>Outcomes: {@code delivered}, {@code acknowledged} (200); {@code pending} (202: still under way, its end goes
 * to the journal); {@code unknown} (404: no such agent or report); {@code held}, {@code paused}, {@code dry-run},
 * {@code off} (409: refused, nothing was typed); {@code failed} (502: tried, not verified).
 */
public record Acted(String outcome, String detail, Map<String, Object> fields) {

  public Acted {
    fields = Map.copyOf(fields);
  }

  public static Acted of(String outcome, String detail) {
    return new Acted(outcome, detail, Map.of());
  }

  StatusCode status() {
    return switch (outcome) {
      case "delivered", "acknowledged" -> StatusCodes.OK;
      case "pending" -> StatusCodes.ACCEPTED;
      case "unknown" -> StatusCodes.NOT_FOUND;
      case "failed" -> StatusCodes.BAD_GATEWAY;
      default -> StatusCodes.CONFLICT;
    };
  }

  /** The JSON body: {@code outcome}, {@code detail}, the fields, and {@code error} when it is no success. */
  Map<String, Object> body() {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    if (status().intValue() >= 400) {
      body.put("error", outcome);
    }
    body.put("outcome", outcome);
    body.put("detail", detail);
    body.putAll(fields);
    return body;
  }
}
