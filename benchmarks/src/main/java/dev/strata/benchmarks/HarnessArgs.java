package dev.strata.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A harness's command line: {@code --name value} options from a known set, then the other arguments. */
record HarnessArgs(Map<String, String> options, List<String> positional) {

  /** Throws IllegalArgumentException, with {@code usage}, for an unknown option or one without a value. */
  static HarnessArgs parse(String[] args, Set<String> names, String usage) {
    Map<String, String> options = new HashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        positional.add(args[i]);
      } else if (!names.contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; usage: " + usage);
      } else if (i + 1 == args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value; usage: " + usage);
      } else {
        options.put(args[i], args[++i]);
      }
    }
    return new HarnessArgs(options, positional);
  }

  String text(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
  }

  /** The option as a path, or null when it is absent. */
  Path path(String name) {
    return options.containsKey(name) ? Path.of(options.get(name)) : null;
  }
}
