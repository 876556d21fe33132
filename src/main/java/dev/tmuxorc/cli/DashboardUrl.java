package dev.tmuxorc.cli;

/** Where a monitor's web dashboard is (its API's root), and the line the commands print for it. */
final class DashboardUrl {

  private DashboardUrl() {
  }

  /** The dashboard of the API served at {@code apiUrl} ({@code http://127.0.0.1:8585}). */
  static String of(String apiUrl) {
    return apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
  }

  /** {@code http://127.0.0.1:8585/}, saying that the page asks for the token when one is set. */
  static String shown(String apiUrl, boolean token) {
    return of(apiUrl) + (token ? "   (the page asks for the token, tmux-orc.http.token)" : "");
  }
}
