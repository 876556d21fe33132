package dev.tmuxorc.config;

/** tmux-orc's version, from the jar's manifest; "(development build)" when not run from the jar. */
public final class Version {

  private Version() {
  }

  public static String current() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version != null ? version : "(development build)";
  }
}
