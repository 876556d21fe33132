package dev.tmuxorc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @TempDir
  Path dir;

  @Test
  void lastLinesAcrossChunks() throws Exception {
    Path log = dir.resolve("monitor.log");
    List<String> lines = IntStream.rangeClosed(1, 5000).mapToObj(i -> "line " + i + " " + "x".repeat(i % 50))
        .toList();
    Files.write(log, lines);
    assertEquals(lines.subList(4990, 5000), LogTail.last(log, 10));
    assertEquals(lines.subList(4999, 5000), LogTail.last(log, 1));
    assertEquals(List.of(), LogTail.last(log, 0));
    assertEquals(lines, LogTail.last(log, 10_000));

    Files.writeString(log, "a\nb\nno newline at the end");
    assertEquals(List.of("b", "no newline at the end"), LogTail.last(log, 2));
    Files.writeString(log, "");
    assertEquals(List.of(), LogTail.last(log, 5));
  }

  @Test
  void lastLinesAfterAnOffset() throws Exception {
    Path log = dir.resolve("monitor.out");
    Files.writeString(log, "old 1\nold 2\n");
    long from = Files.size(log);
    Files.writeString(log, "new 1\nnew 2\n", StandardOpenOption.APPEND);
    assertEquals(List.of("new 1", "new 2"), LogTail.last(log, from, 20));
  }

  @Test
  void followsAppendsAndReopensARotatedOrTruncatedFile() throws Exception {
    Path log = dir.resolve("monitor.log");
    Files.writeString(log, "before\n");
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean going = new AtomicBoolean(true);
    long end = LogTail.end(log);
    Thread follower = new Thread(() -> {
      try {
        LogTail.follow(log, end, 10, seen::add, going::get);
      } catch (Exception e) {
        seen.add("failed: " + e);
      }
    });
    follower.start();
    try {
      append(log, "one\ntw");
      await(seen, List.of("one"));
      append(log, "o\n");
      await(seen, List.of("one", "two"));
      // rolled over: renamed away, a new file in its place
      Files.move(log, dir.resolve("monitor.1.log"));
      Files.writeString(log, "fresh\n");
      await(seen, List.of("one", "two", "fresh"));
      // truncated in place
      Files.writeString(log, "");
      awaitEmpty(log);
      append(log, "after truncation\n");
      await(seen, List.of("one", "two", "fresh", "after truncation"));
    } finally {
      going.set(false);
      follower.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  private static void append(Path log, String text) throws Exception {
    Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  private static void awaitEmpty(Path log) throws Exception {
    // give the follower a chance to see the file shrink before it grows again
    Thread.sleep(100);
  }

  private static void await(List<String> seen, List<String> expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!seen.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(expected, seen);
  }
}
