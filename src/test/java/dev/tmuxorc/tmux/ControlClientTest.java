package dev.tmuxorc.tmux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.testing.TmuxServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ControlClientTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();
  private ControlClient client;
  private final LinkedBlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();

  @TempDir
  Path dir;

  @BeforeEach
  void start() {
    tmux.session("work", "main", TmuxServerFixture.IDLE_COMMAND);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
  }

  private ControlClient connect() {
    client = ControlClient.start(tmux.server(), "_tmux-orc-test", notifications::add, TIMEOUT);
    return client;
  }

  private List<Reply> run(TmuxCommand... commands) throws Exception {
    return client.run(List.of(commands)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPipelinedBatchOfAThousandCommandsIsAnsweredInOrder() throws Exception {
    connect();
    List<TmuxCommand> batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      batch.add(TmuxCommand.of("display-message", "-p", "reply " + i));
    }
    List<Reply> replies = client.run(batch).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(1000, replies.size());
    for (int i = 0; i < 1000; i++) {
      assertEquals("reply " + i, replies.get(i).text());
    }
  }

  @Test
  void concurrentBatchesOnOneClientEachGetTheirOwnReplies() throws Exception {
    connect();
    List<java.util.concurrent.CompletableFuture<List<Reply>>> batches = new ArrayList<>();
    for (int b = 0; b < 20; b++) {
      List<TmuxCommand> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        batch.add(TmuxCommand.of("display-message", "-p", b + ":" + i));
      }
      int index = b;
      batches.add(CompletableFuture.supplyAsync(() -> client.run(batch))
          .thenCompose(s -> s).toCompletableFuture());
      assertTrue(index >= 0);
    }
    for (int b = 0; b < 20; b++) {
      List<Reply> replies = batches.get(b).get(20, TimeUnit.SECONDS);
      for (int i = 0; i < 50; i++) {
        assertEquals(b + ":" + i, replies.get(i).text());
      }
    }
  }

  @Test
  void paneTextThatMimicsTheProtocolIsCapturedVerbatim() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    StringBuilder text = new StringBuilder();
    // Guards close to what tmux will use for the capture's own block: time now, small numbers, flags 1.
    for (int n = 0; n < 40; n++) {
      text.append("%end ").append(now).append(' ').append(n).append(" 1\n");
    }
    text.append("%exit\n%begin 1 2 1\n%error 1 2 1\n");
    text.append("wide: 日本語テキスト 🙂 done\n");
    Path file = TmuxServerFixture.textFile(dir, "screen.txt", text.toString());
    String pane = tmux.window("work", "adversary", TmuxServerFixture.showFile(file));
    Thread.sleep(300);
    connect();
    Reply capture = run(TmuxCommand.capturePane(pane)).get(0);
    assertTrue(capture.ok());
    assertTrue(capture.lines().contains("%exit"), capture.text());
    assertTrue(capture.lines().contains("%error 1 2 1"));
    assertTrue(capture.text().contains("wide: 日本語テキスト 🙂 done"));
    // the client is still in step: the next command gets its own reply
    assertEquals("still in step", run(TmuxCommand.of("display-message", "-p", "still in step")).get(0).text());
    assertTrue(client.isAlive());
  }

  @Test
  void invalidUtf8AndVeryLongLinesDoNotBreakTheStream() throws Exception {
    Path file = dir.resolve("bytes.bin");
    byte[] invalid = {'a', (byte) 0xff, (byte) 0xfe, 'b', (byte) 0xc3, '\n'};
    byte[] longLine = ("L".repeat(5000) + "\n").getBytes(StandardCharsets.UTF_8);
    Files.write(file, concat(invalid, longLine));
    String pane = tmux.window("work", "bytes", TmuxServerFixture.showFile(file));
    Thread.sleep(300);
    connect();
    List<Reply> replies = run(
        TmuxCommand.capturePane(pane),
        TmuxCommand.of("capture-pane", "-p", "-J", "-S", "-", "-t", pane),
        TmuxCommand.of("display-message", "-p", "after"));
    assertTrue(replies.get(0).ok());
    assertTrue(replies.get(1).text().contains("L".repeat(5000)), "joined long line survives");
    assertEquals("after", replies.get(2).text());
  }

  @Test
  void dangerousTextArrivesLiterallyAndRunsNothing() throws Exception {
    Path out = dir.resolve("typed.txt");
    Path pwned = dir.resolve("pwned");
    String pane = tmux.window("work", "sink", "exec cat > '" + out + "'");
    connect();
    String message = "a;b ; run-shell 'touch " + pwned + "' ; kill-server \\; \"dq\" 'sq' #comment "
        + "$HOME $(touch " + pwned + ") `id` {braces} %if ~root \\ back\\slash \\n tab\there ünï 日本 🙂";
    List<Reply> replies = run(TmuxCommand.sendLiteral(pane, message + "\n"),
        TmuxCommand.sendLiteral(pane, "-starts-with-dash\n"));
    assertTrue(replies.get(0).ok(), replies.get(0).text());
    assertTrue(replies.get(1).ok(), replies.get(1).text());
    String expected = message + "\n-starts-with-dash\n";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline
        && !(Files.exists(out) && Files.readString(out).equals(expected))) {
      Thread.sleep(50);
    }
    assertEquals(expected, Files.readString(out));
    assertFalse(Files.exists(pwned), "no command ran");
    assertTrue(tmux.running(), "kill-server did not run");
  }

  @Test
  void aRejectedCommandFailsOnlyItsOwnReply() throws Exception {
    connect();
    List<Reply> replies = run(TmuxCommand.of("display-message", "-p", "one"),
        TmuxCommand.of("no-such-command"),
        TmuxCommand.capturePane("%999"),
        TmuxCommand.of("display-message", "-p", "two"));
    assertTrue(replies.get(0).ok());
    assertFalse(replies.get(1).ok());
    assertFalse(replies.get(2).ok());
    assertTrue(replies.get(2).text().contains("%999"), replies.get(2).text());
    assertEquals("two", replies.get(3).text());
  }

  @Test
  void notificationsArriveWhileCommandsRun() throws Exception {
    connect();
    tmux.tmux("new-session", "-d", "-s", "another", TmuxServerFixture.IDLE_COMMAND);
    assertEquals("ok", run(TmuxCommand.of("display-message", "-p", "ok")).get(0).text());
    Notification n;
    boolean sawSessionsChanged = false;
    while ((n = notifications.poll(5, TimeUnit.SECONDS)) != null) {
      if (n instanceof Notification.SessionsChanged) {
        sawSessionsChanged = true;
        break;
      }
    }
    assertTrue(sawSessionsChanged);
  }

  @Test
  void theClientNeitherAttachesToNorResizesUserSessions() throws Exception {
    connect();
    assertEquals("0", tmux.tmux("display-message", "-p", "-t", "work", "#{session_attached}").trim());
    assertEquals("200x50", tmux.tmux("display-message", "-p", "-t", "work", "#{window_width}x#{window_height}").trim());
    assertTrue(tmux.sessions().contains("_tmux-orc-test"));
    assertTrue(tmux.tmux("list-clients", "-F", "#{client_flags}").contains("no-output"));
  }

  @Test
  void theHiddenSessionOutlivesItsClientsUntilItsOwnerKillsIt() throws Exception {
    connect();
    client.close();
    client = null;
    assertTrue(tmux.sessions().contains("_tmux-orc-test"), "recycling clients must not lose the session");
    tmux.tmux("kill-session", "-t", "=_tmux-orc-test");
    assertEquals(List.of("work"), tmux.sessions());
  }

  /** tmux 3.3a segfaulted when two control clients created the same session at once (2 start-ups in 20). */
  @Test
  void clientsStartingAtOnceNeverCrashTheServer() throws Exception {
    for (int round = 0; round < 20; round++) {
      var first = CompletableFuture.supplyAsync(
          () -> ControlClient.start(tmux.server(), "_tmux-orc-race", n -> { }, TIMEOUT));
      var second = CompletableFuture.supplyAsync(
          () -> ControlClient.start(tmux.server(), "_tmux-orc-race", n -> { }, TIMEOUT));
      ControlClient a = first.get(15, TimeUnit.SECONDS);
      ControlClient b = second.get(15, TimeUnit.SECONDS);
      assertEquals("ok", a.run(List.of(TmuxCommand.of("display-message", "-p", "ok"))).toCompletableFuture()
          .get(5, TimeUnit.SECONDS).get(0).text());
      a.close();
      b.close();
      tmux.tmux("kill-session", "-t", "=_tmux-orc-race");
      assertTrue(tmux.running(), "the tmux server survived round " + round);
    }
  }

  @Test
  void anAbsentServerIsReportedAsUnavailable() {
    TmuxServerFixture none = new TmuxServerFixture();
    TmuxUnavailableException e = assertThrows(TmuxUnavailableException.class,
        () -> ControlClient.start(none.server(), "_tmux-orc-test", n -> { }, TIMEOUT));
    assertTrue(e.getMessage().contains("no tmux server running on socket '" + none.socket() + "'"), e.getMessage());
    assertFalse(none.running(), "tmux-orc never starts a server");
  }

  @Test
  void aKilledClientFailsItsRepliesAndStaysDead() throws Exception {
    connect();
    ProcessHandle.of(client.pid()).orElseThrow().destroyForcibly();
    String reason = client.whenClosed().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertFalse(reason.isEmpty());
    assertFalse(client.isAlive());
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.run(List.of(TmuxCommand.of("display-message", "-p", "x"))).toCompletableFuture()
            .get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof TmuxUnavailableException);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
