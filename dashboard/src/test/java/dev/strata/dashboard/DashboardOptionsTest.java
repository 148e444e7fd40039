package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DashboardOptionsTest {

  @Test
  void defaultsBindLoopbackWithoutToken() {
    DashboardOptions o = DashboardOptions.defaults();
    assertEquals("127.0.0.1", o.host());
    assertEquals(8080, o.port());
    assertTrue(o.token().isEmpty());
  }

  @Test
  void loopbackNamesNeedNoToken() {
    DashboardOptions.builder().host("localhost").build();
    DashboardOptions.builder().host("::1").build();
    DashboardOptions.builder().host("127.0.0.2").build();
  }

  @Test
  void nonLoopbackHostNeedsToken() {
    var e = assertThrows(IllegalArgumentException.class, () -> DashboardOptions.builder().host("0.0.0.0").build());
    assertTrue(e.getMessage().contains("--token"), e.getMessage());
    assertTrue(e.getMessage().contains("ssh -L"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DashboardOptions.builder().host("example.org").build());
    DashboardOptions.builder().host("0.0.0.0").token("long-enough-secret").build();
  }

  @Test
  void badValuesAreRefusedWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> DashboardOptions.builder().port(70000).build());
    assertTrue(e.getMessage().contains("70000"));
    assertThrows(IllegalArgumentException.class, () -> DashboardOptions.builder().token("short").build());
    assertThrows(IllegalArgumentException.class, () -> DashboardOptions.builder().token("has space in it").build());
    assertThrows(IllegalArgumentException.class, () -> DashboardOptions.builder().clientQueueLimit(0).build());
  }
}
