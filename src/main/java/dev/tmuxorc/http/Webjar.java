package dev.tmuxorc.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * A webjar on the class path (a browser library packaged as a jar) and the version it holds, read from the
 * jar's own Maven metadata so that upgrading the dependency in pom.xml is the only change.
 */
record Webjar(String artifactId, String version) {

  /** uPlot, the dashboard's chart library (org.webjars.npm:uplot). */
  static Webjar uplot() {
    return find("org.webjars.npm", "uplot");
  }

  /**
   * The webjar {@code groupId:artifactId} on the class path.
   *
   * @throws IllegalStateException naming the missing file when the jar is not there
   */
  static Webjar find(String groupId, String artifactId) {
    String metadata = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = Webjar.class.getClassLoader().getResourceAsStream(metadata)) {
      if (in == null) {
        throw new IllegalStateException("the webjar " + groupId + ":" + artifactId + " is not on the class path ("
            + metadata + " is missing): the dashboard cannot be served; the build packages it (pom.xml)");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "").trim();
      if (version.isEmpty()) {
        throw new IllegalStateException(metadata + " names no version");
      }
      return new Webjar(artifactId, version);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + metadata + ": " + e.getMessage(), e);
    }
  }

  /** The class-path directory of the jar's files under {@code sub} ({@code dist}), without a trailing slash. */
  String directory(String sub) {
    return "META-INF/resources/webjars/" + artifactId + "/" + version + "/" + sub;
  }
}
