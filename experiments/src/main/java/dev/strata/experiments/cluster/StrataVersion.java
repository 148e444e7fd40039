package dev.strata.experiments.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Strata build version, from the filtered {@code version.properties}. Stateless. */
final class StrataVersion {

  private StrataVersion() {}

  static String get() {
    try (InputStream in = StrataVersion.class.getResourceAsStream("/dev/strata/experiments/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
