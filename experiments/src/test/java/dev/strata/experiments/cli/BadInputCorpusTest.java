package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed experiment under {@code bad-experiments/} (each with a {@code .expected} message
 * fragment) makes {@code validate} and {@code run} print exactly one line with a location and a
 * fix hint, exit 2, print no stack trace, and leave an existing run directory untouched.
 */
class BadInputCorpusTest {

  private static final Pattern LOCATION = Pattern.compile("(\\.json:\\d+:\\d+ )|( /[^ ]*: )");

  @TempDir Path runs;

  static Stream<Path> files() throws IOException, URISyntaxException {
    Path dir = Path.of(BadInputCorpusTest.class.getResource("/bad-experiments").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 25, "the corpus needs at least 25 files, has " + files.size());
    return files.stream();
  }

  record Result(int code, String out, String err) {}

  static Result execute(String... args) {
    Cli.Result r = Cli.execute(args);
    return new Result(r.code(), r.out(), r.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void validateAndRunReportOneLineAndExit2(Path file) throws Exception {
    String expected = Files.readString(Path.of(file.toString().replace(".json", ".expected"))).strip();

    // An existing run directory with the experiment's name must not be touched.
    Path existing = runs.resolve("bad");
    Files.createDirectories(existing);
    Files.writeString(existing.resolve("strata.db"), "not really a database");
    Files.writeString(existing.resolve("strata.log"), "old log\n");
    Map<String, String> before = hashes(runs);

    for (List<String> args : List.of(List.of("validate", file.toString()),
        List.of("run", file.toString(), "--runs-dir", runs.toString()))) {
      Result r = execute(args.toArray(String[]::new));
      String context = args + " -> exit " + r.code() + ", stderr:\n" + r.err();
      assertEquals(2, r.code(), context);
      List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
      assertEquals(1, lines.size(), context);
      String line = lines.getFirst();
      assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
      assertTrue(LOCATION.matcher(line).find(), "no file:line:col or pointer in: " + line);
      assertTrue(line.contains(file.getFileName().toString()), "no file name in: " + line);
      assertTrue(line.contains(";") || line.contains("did you mean") || line.contains(" use ")
          || line.contains(" add "), "no fix hint in: " + line);
      assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "stack trace in: " + r.err());
      assertEquals(before, hashes(runs), "the runs directory changed after " + args);
    }
  }

  static Map<String, String> hashes(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String key = dir.relativize(p).toString();
        if (Files.isDirectory(p)) {
          out.put(key + "/", "dir");
        } else {
          out.put(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
    return out;
  }
}
