package dev.strata.experiments.store;

import dev.strata.search.study.TrialFinish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.RunReader;
import dev.strata.search.trial.TrialRecord;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged, half-created and read-only runs: each is refused or read in one line, before anything
 * is written, and read-only commands create nothing in the run directory.
 */
class StoreFailuresTest {

  @TempDir Path tmp;

  private Path finishedRun(String name) {
    Path dir = tmp.resolve(name);
    try (RunStore store = RunStoreTest.create(dir)) {
      long study = store.addStudy("random", 1, 20, Map.of()).id();
      for (int i = 0; i < 20; i++) {
        TrialRecord t = RunStoreTest.next(store, study, i).getFirst();
        store.startTrial(t.id(), "local-1");
        store.finishTrial(t.id(), TrialFinish.completed(i, Map.of(), 10));
      }
    }
    return dir;
  }

  private static List<String> listing(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aDamagedDatabaseIsRefusedInOneLineBeforeAnythingIsWritten() throws Exception {
    for (String kind : List.of("garbage", "truncated", "scribbled")) {
      Path dir = finishedRun(kind);
      Path db = RunStore.databaseFile(dir);
      byte[] before;
      switch (kind) {
        case "garbage" -> Files.write(db, ("not a database \u001b[31m at all ".repeat(300)).getBytes());
        case "truncated" -> {
          try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.setLength(f.length() / 2 + 100);
          }
        }
        default -> {
          try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            for (long page = 1; page * 4096 < f.length(); page++) {
              f.seek(page * 4096 + 8);
              f.write(new byte[600]); // wipe cell pointers of every page but the first
            }
          }
        }
      }
      before = Files.readAllBytes(db);
      List<String> files = listing(dir);
      StoreException open = assertThrows(StoreException.class, () -> RunStore.open(dir), kind);
      assertEquals(1, open.getMessage().lines().count(), open.getMessage());
      assertTrue(open.getMessage().contains("is damaged") && open.getMessage().contains("strata export"), kind + ": " + open.getMessage());
      assertFalse(open.getMessage().chars().anyMatch(c -> c < 0x20), "no control characters: " + open.getMessage());
      assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)), kind + ": nothing was written");
      assertEquals(files, listing(dir), kind + ": no file was created");
      assertThrows(StoreException.class, () -> RunStore.readExperiment(dir), kind);
      // Read-only commands do not check the whole file up front (status must stay quick), but
      // whatever damage they meet, on opening or reading, they call damage.
      try (RunReader r = RunStore.openSnapshotReader(dir)) {
        r.trialsAfter(0, 1000);
        r.statusCounts();
      } catch (StoreException read) {
        assertTrue(read.getMessage().contains("is damaged"), kind + ", read-only commands say damaged too: " + read.getMessage());
        assertEquals(1, read.getMessage().lines().count());
      }
      assertEquals(files, listing(dir), kind + ": still no file created");
    }
  }

  @Test
  void aHalfCreatedRunIsRecognisedAndDiscardedButAFinishedOneNever() throws Exception {
    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    Files.createFile(RunStore.databaseFile(empty));
    Files.createFile(empty.resolve(RunStore.LOCK_FILE));
    assertTrue(RunStore.isHalfCreated(empty));
    StoreException resume = assertThrows(StoreException.class, () -> RunStore.readExperiment(empty));
    assertTrue(resume.getMessage().contains("half-created") && resume.getMessage().contains("strata run"), resume.getMessage());
    assertTrue(RunStore.discardHalfCreated(empty));
    assertEquals(List.of(), listing(empty));

    Path tableless = tmp.resolve("tableless");
    Files.createDirectories(tableless);
    try (var c = Connections.writer(RunStore.databaseFile(tableless), RunStore.Durability.NORMAL)) {
      Schema.migrate(c, Schema.CURRENT_VERSION); // the schema, but the kill came before the experiment row
    }
    assertTrue(RunStore.isHalfCreated(tableless));
    assertTrue(RunStore.discardHalfCreated(tableless));
    RunStoreTest.create(tableless).close(); // and a new run can be created there

    Path done = finishedRun("done");
    assertFalse(RunStore.isHalfCreated(done));
    assertFalse(RunStore.discardHalfCreated(done));
    assertTrue(RunStore.exists(done));
    try (RunStore held = RunStore.open(done)) {
      assertFalse(RunStore.isHalfCreated(done), "a run held by a writer is never half-created");
    }
  }

  @Test
  void readOnlyCommandsCreateNothingAndWorkInAReadOnlyDirectory() throws Exception {
    Path dir = finishedRun("ro");
    List<String> files = listing(dir);
    assertFalse(files.contains("strata.db-wal") || files.contains("strata.db-shm"), files.toString());
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    try (RunReader r = RunStore.openSnapshotReader(dir)) {
      assertEquals(20, r.trialsAfter(0, 100).size());
      assertEquals(20L, r.statusCounts().values().iterator().next().values().iterator().next());
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertEquals(files, listing(dir), "nothing created in the run directory");
  }

  @Test
  void aRunsDirUnderAFileIsOneLine() throws Exception {
    Path file = tmp.resolve("plain-file");
    Files.writeString(file, "x");
    StoreException e = assertThrows(StoreException.class, () -> RunStoreTest.create(file.resolve("run")));
    assertTrue(e.getMessage().contains("is a file, not a folder") && e.getMessage().contains("--runs-dir"), e.getMessage());
  }
}
