package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web dashboard's files, from the class path: {@code GET /} (its page, {@code dashboard/index.html}),
 * {@code GET /dashboard/...} (its scripts, styles and images) and {@code GET /vendor/uplot/...} (the chart
 * library, from its webjar: nothing comes from another site). Open, since the files hold no data and every API
 * call of the page carries the token; without a token held to this machine like the API. pekko-http refuses a
 * path with a {@code ..} segment (or a slash or backslash encoded in one) before any file is looked up, so
 * nothing outside these directories is ever served.
 */
final class DashboardRoutes {

  /** The page's own files and the API only: no inline script or style, no other origin, no framing. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
      + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  // no-cache: the browser revalidates (ETag, Last-Modified), so a new version's files are never stale.
  private static final List<HttpHeader> HEADERS = List.of(
      RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Referrer-Policy", "no-referrer"),
      CacheControl.create(CacheDirectives.NO_CACHE));

  private final Endpoints endpoints;
  private final Webjar uplot;

  DashboardRoutes(Endpoints endpoints, Webjar uplot) {
    this.endpoints = endpoints;
    this.uplot = uplot;
  }

  public Route route() {
    return respondWithHeaders(HEADERS, () -> concat(
        pathSingleSlash(() -> endpoints.page("/", () -> get(() ->
            getFromResource("dashboard/index.html", ContentTypes.TEXT_HTML_UTF8)))),
        pathPrefix(segment("dashboard").slash(), () -> endpoints.page("/dashboard/*", () -> get(() ->
            getFromResourceDirectory("dashboard")))),
        pathPrefix(segment("vendor").slash("uplot").slash(), () -> endpoints.page("/vendor/*", () -> get(() ->
            getFromResourceDirectory(uplot.directory("dist")))))));
  }
}
