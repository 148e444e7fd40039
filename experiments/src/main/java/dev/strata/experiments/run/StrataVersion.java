package dev.strata.experiments.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Strata version, from the build's {@code version.properties}; what provenance records
 * (trained networks, exports) carry. Stateless and thread-safe.
 */
public final class StrataVersion {

  private StrataVersion() {}

  /** The version, or {@code unknown} when the build did not record one. */
  public static String get() {
    try (InputStream in = StrataVersion.class.getResourceAsStream("/dev/strata/experiments/version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
