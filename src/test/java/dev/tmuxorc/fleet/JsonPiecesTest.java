package dev.tmuxorc.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class JsonPiecesTest {

  @Test
  void noElementsIsAnEmptyArray() {
    assertEquals("[]", new JsonPieces().result().utf8String());
  }

  @Test
  void keptAndWrittenBytesComeInTheOrderGivenWithCommasBetweenElements() {
    JsonPieces pieces = new JsonPieces();
    ByteString head = ByteString.fromString("{\"a\":");
    ByteString tail = ByteString.fromString(",\"b\":true}");
    for (long n : new long[] {0, 9, 10, 1234567890123L, Long.MAX_VALUE}) {
      pieces.nextElement();
      pieces.append(head);
      pieces.write(n);
      pieces.append(tail);
    }
    assertEquals("[{\"a\":0,\"b\":true},{\"a\":9,\"b\":true},{\"a\":10,\"b\":true},{\"a\":1234567890123,\"b\":true},"
        + "{\"a\":" + Long.MAX_VALUE + ",\"b\":true}]", pieces.result().utf8String());
  }

  @Test
  void writesBeyondOneChunkAreAllKeptAndEarlierSlicesAreNotOverwritten() {
    JsonPieces pieces = new JsonPieces();
    StringBuilder expected = new StringBuilder("[");
    byte[] word = "\"abcdefghij\":".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 5_000; i++) { // ~100 KB written: several chunks
      pieces.nextElement();
      pieces.write((byte) '{');
      pieces.write(word);
      pieces.write(i);
      pieces.write((byte) '}');
      expected.append(i == 0 ? "" : ",").append("{\"abcdefghij\":").append(i).append('}');
    }
    assertEquals(expected.append(']').toString(), pieces.result().utf8String());
  }
}
