package dev.strata.experiments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cluster's lease bookkeeping on its own: no event bus, no threads, a clock the test sets. */
class LeaseTableTest {

  private static final long SECOND = 1_000_000_000L;

  private final LeaseTable<String> table = new LeaseTable<>();

  private LeaseTable.Worker remote(String name, String node, long nanos) {
    return table.add(LeaseTable.newSession(), name, node, "host", 1, false, nanos, 0);
  }

  @Test
  void aQueuedTaskGoesToTheNextPullAndAWaitingWorkerGetsTheNextTask() {
    LeaseTable.Worker a = remote("a", "n1", 0);
    assertTrue(table.enqueue("t1", false, 0).isEmpty(), "nobody waits: queued");
    LeaseTable.Lease<String> l = table.take(a, 1);
    assertEquals("t1", l.task());
    assertSame(l, table.current(l.id()));
    assertNull(table.take(a, 1), "nothing else queued");

    List<LeaseTable.Lease<String>> delivered = new ArrayList<>();
    table.await(new LeaseTable.Waiter<>(a, delivered::add));
    LeaseTable.Handoff<String> h = table.enqueue("t2", false, 2).orElseThrow();
    h.deliver();
    assertEquals(List.of("t2"), delivered.stream().map(LeaseTable.Lease::task).toList());
    assertEquals(0, table.queuedCount());
    assertEquals(2, table.leaseCount());
  }

  @Test
  void aLostWorkersTasksAreTakenBackAndItsLateResultIsRefusedAndCounted() {
    LeaseTable.Worker a = remote("a", "n1", 0);
    LeaseTable.Worker b = remote("b", "n2", 0);
    table.enqueue("t1", false, 0);
    table.enqueue("t2", false, 0);
    LeaseTable.Lease<String> held = table.take(a, 0);
    assertEquals(List.of("t1"), table.lose(a, LeaseTable.LOST));
    assertEquals(LeaseTable.LOST, a.state());
    assertEquals(1, table.requeued());
    assertEquals(List.of(), table.lose(a, LeaseTable.LOST), "losing a lost worker again takes nothing back");
    table.enqueue("t1", true, 0); // back first in line
    assertEquals("t1", table.take(b, 0).task());

    assertNull(table.release(held.id()), "the first worker's result comes too late");
    assertEquals(1, table.lateResults());
    assertEquals(0, a.trialsDone());
    LeaseTable.Lease<String> second = table.take(b, 0);
    assertEquals("t2", second.task());
    assertNotNull(table.release(second.id()));
    assertEquals(1, b.trialsDone());
  }

  @Test
  void aWaitingLostWorkerGetsNothing() {
    LeaseTable.Worker a = remote("a", "n1", 0);
    List<LeaseTable.Lease<String>> delivered = new ArrayList<>();
    LeaseTable.Waiter<String> w = new LeaseTable.Waiter<>(a, delivered::add);
    table.await(w);
    table.lose(a, LeaseTable.LEFT);
    assertTrue(table.enqueue("t1", false, 0).isEmpty(), "a left worker's poll is not served");
    assertFalse(table.dropWaiter(w));
    assertEquals(1, table.queuedCount());
  }

  @Test
  void aLeaseTheWorkerNeverReportsIsTakenBackOnlyAfterTheGrace() {
    LeaseTable.Worker a = remote("a", "n1", 0);
    table.enqueue("t1", false, 0);
    table.enqueue("t2", false, 0);
    LeaseTable.Lease<String> reported = table.take(a, 0);
    table.take(a, 0);
    assertEquals(List.of(), table.revokeUnreported(a, Set.of(reported.id()), 5 * SECOND, 10 * SECOND));
    assertEquals(List.of("t2"), table.revokeUnreported(a, Set.of(reported.id()), 11 * SECOND, 10 * SECOND));
    assertSame(reported, table.current(reported.id()));
  }

  @Test
  void silentRemoteWorkersAreFoundAndLocalSlotsNever() {
    LeaseTable.Worker a = remote("a", "n1", 0);
    LeaseTable.Worker b = remote("b", "n2", 0);
    table.add("local-1", "local-1", "", "here", 1, true, 0, 0);
    assertSame(b, table.alive(b.session, 8 * SECOND, 8_000));
    assertNull(table.alive("local-1", 8 * SECOND, 8_000), "a local slot has no heartbeat");
    assertEquals(List.of(a), table.silent(10 * SECOND, 5 * SECOND));
  }

  @Test
  void namesStayUniqueAmongActiveWorkersAndARegisteringNodeFindsItsOldSessions() {
    LeaseTable.Worker a = remote("w", "n1", 0);
    LeaseTable.Worker b = remote("w", "n2", 0);
    assertEquals("w-2", b.name);
    assertEquals(List.of(a), table.activeOnNode("n1"));
    table.lose(a, LeaseTable.LEFT);
    assertEquals("w", remote("w", "n1", 0).name, "a left worker's name is free again");
  }

  @Test
  void drainingReturnsEveryQueuedAndLeasedTask() {
    LeaseTable.Worker a = remote("a", "n1", 0);
    table.enqueue("t1", false, 0);
    table.enqueue("t2", false, 0);
    table.take(a, 0);
    assertEquals(Set.of("t1", "t2"), Set.copyOf(table.drainAll()));
    assertEquals(0, table.leaseCount());
    assertEquals(0, table.queuedCount());
    assertEquals(List.of(), table.leasesOf(a));
  }

  @Test
  void recordsListLocalSlotsFirstWithTheirCurrentTrials() {
    LeaseTable.Worker a = remote("a", "n1", 0);
    table.add("local-1", "local-1", "", "here", 1, true, 0, 0);
    table.enqueue("7", false, 0);
    table.take(a, 0);
    var records = table.records(Long::parseLong, 42);
    assertEquals(List.of("local-1", "a"), records.stream().map(r -> r.name()).toList());
    assertEquals(42, records.getFirst().lastHeartbeatMs());
    assertEquals(List.of(7L), records.get(1).currentTrials());
  }
}
