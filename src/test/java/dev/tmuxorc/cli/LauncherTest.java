package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LauncherTest {

  @AfterEach
  void clear() {
    System.clearProperty(Launcher.LAUNCHER_PROPERTY);
  }

  @Test
  void adviceNamesTheLauncherThatStartedUs() {
    System.setProperty(Launcher.LAUNCHER_PROPERTY, "/opt/tmux-orc/bin/tmux-orc");
    assertEquals("/opt/tmux-orc/bin/tmux-orc", Launcher.selfCommand());
  }

  @Test
  void withoutTheLauncherAdviceIsJavaDashJar() {
    assertTrue(Launcher.selfCommand().startsWith("java -jar "), Launcher.selfCommand());
  }
}
