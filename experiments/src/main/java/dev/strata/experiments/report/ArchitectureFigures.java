package dev.strata.experiments.report;

import dev.strata.runs.RunReader;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The report's architecture section: the best trial's network, and each study's best, drawn by the
 * dashboard's own diagram code ({@code webroot/js/architecture.js} and {@code css/architecture.css}
 * from the dashboard jar, inlined), so the trial page and the report share one drawing. The page
 * stays a single offline file: each spec is inlined as a {@code <script type="application/json">}
 * (with {@code <}, {@code >} and {@code &} escaped as JSON unicode escapes, so no spec can end the
 * element), and one inline module script draws them. Without JavaScript the section says so. A run
 * without network specs gets no section and no script. Stateless.
 */
final class ArchitectureFigures {

  static final String SCRIPT = "webroot/js/architecture.js";
  static final String STYLE = "webroot/css/architecture.css";
  private static final Pattern END_TAG = Pattern.compile("</(script|style)", Pattern.CASE_INSENSITIVE);

  private ArchitectureFigures() {}

  /** The section's HTML, or "" when no trial drawn has a network spec. */
  static String html(RunData run, RunReader reader) {
    // The run's best, then each study's best (each trial once).
    Map<Long, String> captions = new LinkedHashMap<>();
    run.best().ifPresent(t -> captions.put(t.id(), "Best trial #" + t.id() + " (" + run.study(t.studyId()).label()
        + "): " + run.experiment().metric() + " " + Comparison.num(t.value())));
    for (StudyRecord s : run.studies()) {
      Optional<TrialRecord> best = run.best(s.id());
      best.ifPresent(t -> captions.putIfAbsent(t.id(), "Best of " + s.label() + ": trial #" + t.id() + ", "
          + run.experiment().metric() + " " + Comparison.num(t.value())));
    }
    List<Long> drawn = new ArrayList<>();
    StringBuilder specs = new StringBuilder();
    for (long id : captions.keySet()) {
      Optional<String> spec = reader.networkSpecJson(id);
      if (spec.isPresent() && !spec.get().isBlank()) {
        drawn.add(id);
        specs.append("<script type=\"application/json\" id=\"arch-spec-").append(id).append("\">")
            .append(jsonForScript(spec.get())).append("</script>\n");
      }
    }
    if (drawn.isEmpty()) {
      return "";
    }
    StringBuilder h = new StringBuilder("<h2>Architecture</h2>\n<style>\n").append(forElement(resource(STYLE)))
        .append(".arch{overflow-x:auto}\n</style>\n");
    for (int i = 0; i < drawn.size(); i++) {
      long id = drawn.get(i);
      if (i == 1) {
        h.append("<details><summary>Best architecture of each study</summary>\n");
      }
      h.append("<figure class=\"arch\"><figcaption>").append(SvgChart.escape(captions.get(id)))
          .append("</figcaption><div data-arch-spec=\"arch-spec-").append(id)
          .append("\"><noscript>The diagram needs JavaScript; <code>strata export</code> writes this"
              + " trial's network spec.</noscript></div></figure>\n");
    }
    if (drawn.size() > 1) {
      h.append("</details>\n");
    }
    h.append(specs);
    h.append("<script type=\"module\">\n").append(forElement(resource(SCRIPT))).append("\n")
        .append("for (const el of document.querySelectorAll('[data-arch-spec]')) {\n")
        .append("  try {\n")
        .append("    el.replaceChildren(drawArchitecture(JSON.parse(document.getElementById(el.dataset.archSpec).textContent)));\n")
        .append("  } catch (e) {\n")
        .append("    el.textContent = 'Cannot draw this architecture: ' + e.message;\n")
        .append("  }\n")
        .append("}\n</script>\n");
    return h.toString();
  }

  /** JSON text that can sit inside a script element: {@code <}, {@code >}, {@code &} as unicode escapes. */
  static String jsonForScript(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  /** Code or CSS that cannot end its element early ({@code </script} becomes {@code <\/script}). */
  static String forElement(String source) {
    return END_TAG.matcher(source.replace("<!--", "<\\!--")).replaceAll("<\\\\/$1");
  }

  /** A file of the dashboard's web root, from the classpath. */
  static String resource(String path) {
    try (InputStream in = ArchitectureFigures.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the classpath (it ships in the dashboard jar)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
