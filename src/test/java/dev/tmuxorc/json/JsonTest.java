package dev.tmuxorc.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tmuxorc.monitor.CycleReport;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void aCycleReportLineCarriesCapturesFailuresAndReusedScreens() {
    CycleReport report = new CycleReport(Instant.parse("2026-11-24T07:30:47Z"), "concurrent", 100, 10, 8.7, 14.3,
        14.3, 14.3, 4.9, 8.7, 403, 2, 567);
    Map<String, Object> json = Json.report(report);
    assertEquals("CycleReport", json.get("type"));
    assertEquals(403L, json.get("captures"));
    assertEquals(2L, json.get("captureFailures"));
    assertEquals(567L, json.get("reused"));
    assertEquals("concurrent", json.get("strategy"));
  }
}
