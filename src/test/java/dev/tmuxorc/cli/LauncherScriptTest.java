package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script (src/main/dist/bin/tmux-orc) run for real, with a stand-in JDK whose {@code java} prints the
 * arguments it was given: it passes the class-data-sharing archive on only when the archive was made for this
 * JDK and this jar (src/build/cds-archive.sh writes that in {@code lib/tmux-orc.jsa.stamp}).
 */
class LauncherScriptTest {

  private static final String VERSION = "17.0.99+1-test";

  @TempDir
  Path dir;

  private Path jdk;
  private Path launcher;
  private Path jar;

  @BeforeEach
  void distribution() throws IOException {
    jdk = dir.resolve("jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Path java = jdk.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(jdk.resolve("release"), "JAVA_RUNTIME_VERSION=\"" + VERSION + "\"\nJAVA_VERSION=\"17.0.99\"\n");
    Path home = dir.resolve("tmux-orc");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));
    launcher = home.resolve("bin/tmux-orc");
    Files.copy(Path.of("src/main/dist/bin/tmux-orc"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    jar = home.resolve("lib/tmux-orc.jar");
    Files.writeString(jar, "not really a jar");
    Files.writeString(home.resolve("lib/tmux-orc.jsa"), "not really an archive");
  }

  @Test
  void theArchiveMadeForThisJdkAndJarIsPassedOn() throws Exception {
    stamp(VERSION);
    List<String> args = javaArgs();
    assertTrue(args.contains("-XX:SharedArchiveFile=" + jar.resolveSibling("tmux-orc.jsa")), args::toString);
    assertTrue(args.contains("-Xshare:auto"), args::toString);
    assertEquals(List.of("-jar", jar.toString(), "--version"), args.subList(args.size() - 3, args.size()));
  }

  @Test
  void anArchiveOfAnotherJdkIsNot() throws Exception {
    stamp("17.0.98+1-test"); // the JDK was updated since the build
    assertFalse(javaArgs().stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")));
  }

  @Test
  void anArchiveOfAnotherJarIsNot() throws Exception {
    stamp(VERSION);
    Files.writeString(jar, "a jar rebuilt since"); // another size
    assertFalse(javaArgs().stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")));
  }

  @Test
  void anArchiveWithoutItsStampIsNot() throws Exception {
    assertFalse(javaArgs().stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")));
  }

  // The stamp as src/build/cds-archive.sh writes it: JDK version, jar path, size and modification time (s).
  private void stamp(String version) throws IOException {
    Files.writeString(jar.resolveSibling("tmux-orc.jsa.stamp"), version + " " + jar + " " + Files.size(jar) + " "
        + Files.getLastModifiedTime(jar).toMillis() / 1000 + "\n");
  }

  private List<String> javaArgs() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", jdk.toString());
    builder.environment().remove("JAVA_OPTS");
    builder.environment().remove("TMUX_ORC_JVM_OPTS");
    builder.environment().remove("TMUX_ORC_HEAP_OPTS");
    Process process = builder.start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, process.exitValue(), out);
      return out.lines().toList();
    } finally {
      process.destroyForcibly();
    }
  }
}
