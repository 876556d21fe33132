package dev.tmuxorc.tmux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlParserTest {

  private final ControlParser parser = new ControlParser();

  private List<ControlEvent> feed(String... lines) {
    List<ControlEvent> events = new ArrayList<>();
    for (String line : lines) {
      parser.accept(line).ifPresent(events::add);
    }
    return events;
  }

  @Test
  void aReplyBlockCarriesItsBody() {
    List<ControlEvent> events = feed("%begin 1700000000 12 1", "line one", "line two", "%end 1700000000 12 1");
    ControlEvent.ReplyBlock block = assertInstanceOf(ControlEvent.ReplyBlock.class, events.get(0));
    assertTrue(block.ok());
    assertTrue(block.sentByClient());
    assertEquals(List.of("line one", "line two"), block.toReply().lines());
  }

  @Test
  void anErrorBlockIsAFailedReply() {
    List<ControlEvent> events = feed("%begin 1 7 1", "parse error: unknown command: foo", "%error 1 7 1");
    ControlEvent.ReplyBlock block = assertInstanceOf(ControlEvent.ReplyBlock.class, events.get(0));
    assertFalse(block.ok());
    assertEquals("parse error: unknown command: foo", block.toReply().text());
  }

  @Test
  void paneTextThatLooksLikeProtocolStaysInsideTheBlock() {
    List<ControlEvent> events = feed(
        "%begin 1700000000 40 1",
        "%end 1700000000 39 1",      // wrong number
        "%end 1700000000 40 0",      // wrong flags
        "%end 1700000001 40 1",      // wrong time
        "%error 1700000000 41 1",
        "%exit",
        "%begin 1700000000 41 1",
        "%sessions-changed",
        "%end 1700000000 40 1 ",     // trailing space: not the guard
        "%end 1700000000 40 1");
    assertEquals(1, events.size());
    ControlEvent.ReplyBlock block = assertInstanceOf(ControlEvent.ReplyBlock.class, events.get(0));
    assertEquals(8, block.toReply().lines().size());
    assertEquals("%exit", block.toReply().lines().get(4));
  }

  @Test
  void notificationsBetweenBlocksAreTyped() {
    List<ControlEvent> events = feed(
        "%sessions-changed",
        "%begin 5 1 1", "a", "%end 5 1 1",
        "%window-close @4",
        "%unlinked-window-close @5",
        "%begin 5 2 1", "%end 5 2 1",
        "%session-changed $1 my session",
        "%window-renamed @2 a name; with $(stuff)",
        "%layout-change @2 b25f,80x24,0,0,2 b25f,80x24,0,0,2 *",
        "%pane-mode-changed %3",
        "%exit server exited");
    assertInstanceOf(Notification.SessionsChanged.class, events.get(0));
    assertInstanceOf(ControlEvent.ReplyBlock.class, events.get(1));
    assertEquals(new Notification.WindowClose("@4", false), events.get(2));
    assertEquals(new Notification.WindowClose("@5", true), events.get(3));
    assertInstanceOf(ControlEvent.ReplyBlock.class, events.get(4));
    assertEquals(new Notification.SessionChanged("$1", "my session"), events.get(5));
    assertEquals(new Notification.WindowRenamed("@2", "a name; with $(stuff)", false), events.get(6));
    assertEquals(new Notification.LayoutChange("@2"), events.get(7));
    assertEquals(new Notification.PaneModeChanged("%3"), events.get(8));
    assertEquals(new Notification.Exit("server exited"), events.get(9));
  }

  @Test
  void subscriptionChangesKeepTheirWholeValue() {
    List<ControlEvent> events = feed(
        "%subscription-changed panes $0 - - - : %1=17000.0.5.0;%2=17001.3.2.1;",
        "%subscription-changed x $1 @2 3 %4 : a : b",
        "%subscription-changed empty $1 - - - : ");
    assertEquals(new Notification.SubscriptionChanged("panes", "$0", "-", "-", "-", "%1=17000.0.5.0;%2=17001.3.2.1;"),
        events.get(0));
    assertEquals(new Notification.SubscriptionChanged("x", "$1", "@2", "3", "%4", "a : b"), events.get(1));
    assertEquals("", ((Notification.SubscriptionChanged) events.get(2)).value());
  }

  @Test
  void outputIsUnescaped() {
    List<ControlEvent> events = feed("%output %3 hello\\015\\012world \\134 \\303\\251");
    assertEquals(new Notification.Output("%3", "hello\r\nworld \\ é"), events.get(0));
  }

  @Test
  void unknownNotificationsAreKept() {
    assertEquals(new Notification.Other("client-detached", "c1"), feed("%client-detached c1").get(0));
  }

  @Test
  void veryLongAndWideLinesPassThrough() {
    String longLine = "x".repeat(200_000);
    String wide = "日本語テキスト🙂".repeat(1000);
    List<ControlEvent> events = feed("%begin 1 1 1", longLine, wide, "%end 1 1 1");
    ControlEvent.ReplyBlock block = (ControlEvent.ReplyBlock) events.get(0);
    assertEquals(List.of(longLine, wide), block.toReply().lines());
  }

  @Test
  void thousandsOfPipelinedBlocksParseInOrder() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      lines.add("%begin 9 " + i + " 1");
      lines.add("reply " + i);
      lines.add("%end 9 " + i + " 1");
      if (i % 100 == 0) {
        lines.add("%sessions-changed");
      }
    }
    List<ControlEvent> events = feed(lines.toArray(String[]::new));
    List<String> replies = events.stream().filter(e -> e instanceof ControlEvent.ReplyBlock)
        .map(e -> ((ControlEvent.ReplyBlock) e).text()).toList();
    assertEquals(1000, replies.size());
    for (int i = 0; i < 1000; i++) {
      assertEquals("reply " + i, replies.get(i));
    }
    assertEquals(10, events.size() - 1000);
  }

  @Test
  void attachBlocksAreNotTheClientsOwn() {
    ControlEvent.ReplyBlock block = (ControlEvent.ReplyBlock) feed("%begin 1 1 0", "%end 1 1 0").get(0);
    assertFalse(block.sentByClient());
  }

  @Test
  void outputCutAnywhereParsesTheSame() {
    String stream = "%begin 7 1 1\n│ ⏺ Update(日本語 🙂)\n%end 7 1 0\n\n%exit\n%end 7 1 1\n"
        + "%window-add @3\n%begin 7 2 1\n%end 7 2 1\n%begin 7 3 1\nbad: no such pane\n%error 7 3 1\n"
        + "%subscription-changed s $0 - - - : %1=5;\n";
    byte[] bytes = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<ControlEvent> whole = new ArrayList<>();
    new ControlParser().feed(bytes, 0, bytes.length, whole::add);
    assertEquals(5, whole.size());
    assertEquals("│ ⏺ Update(日本語 🙂)\n%end 7 1 0\n\n%exit", ((ControlEvent.ReplyBlock) whole.get(0)).text());
    assertEquals("", ((ControlEvent.ReplyBlock) whole.get(2)).text());
    assertFalse(((ControlEvent.ReplyBlock) whole.get(3)).ok());
    for (int chunk = 1; chunk <= 23; chunk++) {
      ControlParser cut = new ControlParser();
      List<ControlEvent> events = new ArrayList<>();
      for (int from = 0; from < bytes.length; from += chunk) {
        cut.feed(bytes, from, Math.min(chunk, bytes.length - from), events::add);
      }
      assertEquals(whole, events, "chunks of " + chunk + " bytes");
    }
  }

  @Test
  void emptyLinesInsideABlockAreKept() {
    ControlEvent.ReplyBlock block = (ControlEvent.ReplyBlock) feed("%begin 1 1 1", "", "a", "", "%end 1 1 1").get(0);
    assertEquals("\na\n", block.text());
    assertEquals(List.of("", "a", ""), block.toReply().lines());
  }

  @Test
  void invalidUtf8BecomesAReplacementCharacter() {
    byte[] bytes = {'%', 'b', 'e', 'g', 'i', 'n', ' ', '1', ' ', '1', ' ', '1', '\n', 'a', (byte) 0xff, 'b', '\n',
        '%', 'e', 'n', 'd', ' ', '1', ' ', '1', ' ', '1', '\n'};
    List<ControlEvent> events = new ArrayList<>();
    parser.feed(bytes, 0, bytes.length, events::add);
    assertEquals("a\uFFFDb", ((ControlEvent.ReplyBlock) events.get(0)).text());
  }
}
