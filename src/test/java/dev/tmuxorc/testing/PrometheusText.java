package dev.tmuxorc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Prometheus text format read back by a real parser, Debian's python3-prometheus-client (client_java has
 * none), run as {@code /usr/bin/python3}: a {@code python3} earlier on the PATH may not see Debian's packages.
 */
public final class PrometheusText {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /** Reads the text format on stdin and prints its families as JSON: name, type and samples. */
  private static final String PARSE = String.join("\n",
      "import sys, json",
      "from prometheus_client.parser import text_string_to_metric_families as parse",
      "print(json.dumps([{'name': f.name, 'type': f.type,",
      "    'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]}",
      "    for f in parse(sys.stdin.read())]))");

  private PrometheusText() {
  }

  /**
   * Skips the calling test (an assumption) when the parser is not installed; fails it instead under CI, which
   * installs the parser, so that its absence there is an error rather than a silent skip.
   */
  public static void assumeParser() throws IOException, InterruptedException {
    boolean available = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
        "import prometheus_client.parser").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor() == 0;
    String missing = "/usr/bin/python3 cannot import prometheus_client: apt-get install python3-prometheus-client";
    if (!available && "true".equals(System.getenv("CI"))) {
      fail(missing + " (CI installs it, so its absence is an error there)");
    }
    Assumptions.assumeTrue(available, missing);
  }

  /** The families of {@code text} by name (counters without {@code _total}, as the parser names them). */
  public static Map<String, JsonNode> parse(String text) throws IOException, InterruptedException {
    Path errors = Files.createTempFile("prometheus-parse", ".err");
    try {
      Process python = new ProcessBuilder(PYTHON.toString(), "-c", PARSE)
          .redirectError(errors.toFile()).start();
      try (OutputStream in = python.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(python.waitFor(60, TimeUnit.SECONDS), "the parser did not finish");
      assertEquals(0, python.exitValue(), () -> "the parser refused the text: " + read(errors) + "\n" + text);
      Map<String, JsonNode> families = new TreeMap<>();
      for (JsonNode family : Json.MAPPER.readTree(out)) {
        assertTrue(families.put(family.get("name").asText(), family) == null, "two families named " + family);
      }
      return families;
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  /** The value of one sample of a family, found by sample name and exact labels; fails when there is none. */
  public static double sample(Map<String, JsonNode> families, String family, String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    JsonNode found = families.get(family);
    assertTrue(found != null, "no family " + family);
    for (JsonNode sample : found.get("samples")) {
      Map<String, String> have = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = sample.get("labels").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> label = it.next();
        have.put(label.getKey(), label.getValue().asText());
      }
      if (sample.get("name").asText().equals(name) && have.equals(wanted)) {
        return sample.get("value").asDouble();
      }
    }
    return fail("no sample " + name + wanted + " in " + found);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }
}
