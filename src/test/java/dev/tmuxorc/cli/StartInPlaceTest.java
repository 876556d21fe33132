package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of a start in place: which arguments it takes, and the report it sends the launcher. */
class StartInPlaceTest {

  @TempDir
  Path dir;

  @Test
  void takesTheOptionsAroundMonitorStart() {
    assertEquals(List.of("--http-port", "0"), StartInPlace.optionsOfMonitorStart(
        List.of("monitor", "start", "--http-port", "0")));
    assertEquals(List.of("-L", "work", "-v"), StartInPlace.optionsOfMonitorStart(
        List.of("-L", "work", "monitor", "start", "-v")));
    assertNull(StartInPlace.optionsOfMonitorStart(List.of("monitor", "status")));
    assertNull(StartInPlace.optionsOfMonitorStart(List.of("monitor", "start", "--foreground")));
  }

  @Test
  void theReportIsSentOnceWithItsStatusLast() throws Exception {
    StartReport report = new StartReport(dir);
    report.out().println("started");
    report.err().println("a warning");
    assertFalse(report.sent());
    assertFalse(Files.exists(dir.resolve("status")));

    assertTrue(report.send(0));
    assertEquals("started\n", Files.readString(dir.resolve("out")));
    assertEquals("a warning\n", Files.readString(dir.resolve("err")));
    assertEquals("0\n", Files.readString(dir.resolve("status")));
    assertFalse(Files.exists(dir.resolve("status.partial")));

    assertFalse(report.send(1), "the first outcome counts");
    report.out().println("later: to this process's own stdout");
    assertEquals("started\n", Files.readString(dir.resolve("out")));
    assertEquals("0\n", Files.readString(dir.resolve("status")));
  }

  @Test
  void theReportNeverWritesThroughALinkSomeonePutThere() throws Exception {
    Path victim = Files.writeString(dir.resolve("victim"), "keep me\n");
    Path reports = Files.createDirectory(dir.resolve("report"));
    Files.createSymbolicLink(reports.resolve("out"), victim);
    StartReport report = new StartReport(reports);
    report.out().println("started");
    assertThrows(IOException.class, () -> report.send(0));
    assertEquals("keep me\n", Files.readString(victim));
    assertFalse(Files.exists(reports.resolve("status")));
  }

  @Test
  void theReportGoesOnlyIntoADirectoryOfThisUsersAlone() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThrows(IOException.class, () -> new StartReport(shared).send(0));
    assertThrows(IOException.class, () -> new StartReport(dir.resolve("gone")).send(0));
    assertFalse(Files.exists(shared.resolve("status")));
  }
}
