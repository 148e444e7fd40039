package dev.strata.dashboard;

import dev.strata.common.Quantiles;
import dev.strata.runs.BestSoFar;
import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.Page;
import dev.strata.runs.ParameterImportance;
import dev.strata.runs.ParetoRun;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.runs.RunState;
import dev.strata.runs.StudyProgress;
import dev.strata.runs.TrialQuery;
import dev.strata.runs.WorkerRecord;
import dev.strata.search.prescreen.ProxyCorrelation;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Goal;
import dev.strata.search.trial.Objectives;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The dashboard's queries over the runs of a {@link RunCatalog}: blocking, so called on worker
 * threads only (the {@link ApiVerticle} does). Thread-safe.
 *
 * <p>A run's summary is reused for up to {@value #SUMMARY_MIN_AGE_MILLIS} ms while events arrive,
 * and until {@value #SUMMARY_MAX_AGE_MILLIS} ms when none do.
 *
 * <p>Whole-run views (comparison, Pareto set, hyperparameters) come from each run's {@link
 * RunAggregates}: the finished trials, read once by keyset and then only those new events name,
 * never a copy of the table per request or per event. A view is computed once per change of the
 * aggregates, and for runs above {@value #THROTTLE_ABOVE} finished trials at most once per {@value
 * #VIEW_MIN_AGE_MILLIS} ms while trials keep finishing, so
 * many browsers watching one run cost one computation per change. Counts come from one grouped
 * query ({@link RunReader#statusCounts()}).
 */
public final class RunService {

  /** A run summary is recomputed at most this often while events keep coming... */
  static final long SUMMARY_MIN_AGE_MILLIS = 1000;
  /** ...and at least this often (the ETA moves with the clock). */
  static final long SUMMARY_MAX_AGE_MILLIS = 10_000;
  /** The most points sent for the scatter and parallel-coordinates plots. */
  static final int MAX_PLOT_POINTS = 3000;

  private final RunCatalog catalog;
  private final Clock clock;
  /** A whole-run view is recomputed at most this often while trials keep finishing. */
  static final long VIEW_MIN_AGE_MILLIS = 1000;
  /** Runs with more finished trials than this have their views throttled (see {@link #VIEW_MIN_AGE_MILLIS}). */
  static final int THROTTLE_ABOVE = 5000;
  private final Map<String, RunAggregates> aggregates = new ConcurrentHashMap<>();
  private final Map<String, View> views = new ConcurrentHashMap<>();
  private final Map<String, Summary> summaries = new ConcurrentHashMap<>();

  private final TrialAnalyses analyses;

  public RunService(RunCatalog catalog) {
    this(catalog, Optional.empty());
  }

  /** With {@code inspector} to analyse trials' networks at initialisation (empty: none). */
  public RunService(RunCatalog catalog, Optional<NetworkInspector> inspector) {
    this(catalog, Clock.systemUTC(), inspector);
  }

  RunService(RunCatalog catalog, Clock clock) {
    this(catalog, clock, Optional.empty());
  }

  private RunService(RunCatalog catalog, Clock clock, Optional<NetworkInspector> inspector) {
    this.catalog = catalog;
    this.clock = clock;
    this.analyses = new TrialAnalyses(inspector);
  }

  /** A computed whole-run view and the aggregates' version and time it was computed at. */
  private record View(long version, long takenMillis, JsonObject json) {}

  /** Opens a run or fails with 404. */
  public RunHandle handle(String name) {
    return catalog.open(name).orElseThrow(() -> ApiException.notFound("no run named '" + name + "'"));
  }

  public RunReader reader(String name) {
    return handle(name).reader();
  }

  // ---- overview and run summary ----

  /** {@code GET /api/runs}: every run's summary. A run that cannot be read is listed with its error. */
  public JsonArray runs() {
    JsonArray out = new JsonArray();
    for (String name : catalog.names()) {
      try {
        catalog.open(name).ifPresent(h -> {
          JsonObject detailed = cachedSummary(name, h);
          JsonObject brief = detailed.copy();
          brief.remove("studies");
          brief.remove("spec");
          out.add(brief);
        });
      } catch (RuntimeException e) {
        out.add(new JsonObject().put("name", name).put("state", "unreadable").put("error", String.valueOf(e.getMessage())));
      }
    }
    return out;
  }

  /** {@code GET /api/runs/:name}: the summary with studies and per-study counts. */
  public JsonObject run(String name) {
    return cachedSummary(name, handle(name));
  }

  private JsonObject cachedSummary(String name, RunHandle h) {
    long last = h.reader().lastEventId();
    long now = clock.millis();
    Summary cached = summaries.get(name);
    if (cached != null && now - cached.takenMillis() < SUMMARY_MAX_AGE_MILLIS
        && (cached.lastEventId() == last || now - cached.takenMillis() < SUMMARY_MIN_AGE_MILLIS)) {
      return cached.json();
    }
    JsonObject fresh = summary(name, h, true);
    summaries.put(name, new Summary(last, now, fresh));
    return fresh;
  }

  /** A run summary as computed at one event id; reused while young (see {@link #SUMMARY_MIN_AGE_MILLIS}). */
  private record Summary(long lastEventId, long takenMillis, JsonObject json) {}

  private JsonObject summary(String name, RunHandle handle, boolean detailed) {
    RunReader r = handle.reader();
    ExperimentRecord e = r.experiment();
    List<StudyRecord> studies = r.studies();
    Map<Long, Map<TrialStatus, Long>> byStudy = r.statusCounts();
    Map<TrialStatus, Long> counts = new EnumMap<>(TrialStatus.class);
    for (TrialStatus s : TrialStatus.values()) {
      counts.put(s, 0L);
    }
    byStudy.values().forEach(m -> m.forEach((st, c) -> counts.merge(st, c, Long::sum)));
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    long finished = counts.entrySet().stream().filter(en -> en.getKey().isFinished()).mapToLong(Map.Entry::getValue).sum();
    long budget = studies.stream().mapToLong(StudyRecord::budgetTrials).sum();
    double progress = budget > 0 ? Math.min(1.0, (double) finished / budget) : Double.NaN;

    JsonObject countJson = new JsonObject();
    counts.forEach((s, c) -> countJson.put(s.name().toLowerCase(Locale.ROOT), c));

    JsonArray best = new JsonArray();
    Map<String, long[]> bestIds = new java.util.HashMap<>();
    Map<String, Double> bestOf = bestPerStrategy(r, studies, e.direction(), bestIds);
    for (String strategy : strategies(studies)) {
      long completed = studies.stream().filter(st -> st.strategy().equals(strategy))
          .mapToLong(st -> byStudy.getOrDefault(st.id(), Map.of()).getOrDefault(TrialStatus.COMPLETED, 0L)).sum();
      JsonObject b = new JsonObject().put("strategy", strategy).put("completed", completed);
      Double v = bestOf.get(strategy);
      if (v != null) {
        b.put("value", JsonViews.num(v)).put("trialId", bestIds.get(strategy)[0]);
      }
      best.add(b);
    }

    Instant now = clock.instant();
    Instant start = e.created();
    String eta = null;
    boolean active = e.state().isActive();
    if (active && start != null && finished > 0 && progress > 0 && progress < 1) {
      double elapsed = Duration.between(start, now).toMillis();
      eta = now.plusMillis((long) (elapsed * (1 - progress) / progress)).toString();
    }
    JsonObject o = new JsonObject()
        .put("name", name)
        .put("state", e.state().label())
        .put("metric", e.metric())
        .put("direction", e.direction().name().toLowerCase(Locale.ROOT))
        .put("created", JsonViews.time(e.created()))
        .put("updated", JsonViews.time(e.updated()))
        .put("eta", eta)
        .put("trials", total)
        .put("finished", finished)
        .put("budgetTrials", budget)
        .put("progress", JsonViews.num(progress))
        .put("counts", countJson)
        .put("best", best)
        .put("studyCount", studies.size())
        .put("strategies", new JsonArray(new ArrayList<>(strategies(studies))))
        .put("seeds", new JsonArray(studies.stream().map(StudyRecord::seed).distinct().sorted().toList()))
        .put("live", handle.live().isPresent())
        .put("directory", handle.directory().orElse("runs/" + name))
        .put("resumeCommand", "strata resume " + shellWord(handle.directory().orElse("runs/" + name)))
        .put("browseCommand", "strata dashboard " + shellWord(runsFolder(handle.directory().orElse("runs/" + name))))
        .put("stoppable", handle.stop().isPresent() && active)
        .put("lastEventId", r.lastEventId());
    if (detailed) {
      JsonArray studyJson = new JsonArray();
      for (StudyRecord s : studies) {
        JsonObject sc = new JsonObject();
        Map<TrialStatus, Long> of = byStudy.getOrDefault(s.id(), Map.of());
        for (TrialStatus st : TrialStatus.values()) {
          sc.put(st.name().toLowerCase(Locale.ROOT), of.getOrDefault(st, 0L));
        }
        studyJson.add(JsonViews.study(s).put("counts", sc));
      }
      o.put("studies", studyJson).put("spec", JsonViews.parseOrText(e.specJson()));
    }
    return o;
  }

  /**
   * The best feasible COMPLETED trial of each strategy ({@link BestSoFar#counts}): from the best-so-far steps the store keeps (the
   * last step of each study; ties: the lower id), else the first row of the leaderboard in best
   * order filtered to the strategy, which the store answers from its index on the value, so that
   * a summary never needs the whole run in memory.
   */
  private static Map<String, Double> bestPerStrategy(RunReader r, List<StudyRecord> studies, Direction direction,
      Map<String, long[]> ids) {
    Map<String, Double> out = new java.util.HashMap<>();
    Optional<List<StudyProgress>> kept = r.studyProgress();
    if (kept.isPresent()) {
      Map<Long, String> strategyOf = new java.util.HashMap<>();
      studies.forEach(s -> strategyOf.put(s.id(), s.strategy()));
      for (StudyProgress p : kept.get()) {
        String strategy = strategyOf.get(p.studyId());
        if (strategy == null || p.steps().isEmpty()) {
          continue;
        }
        StudyProgress.Step last = p.steps().getLast();
        Double was = out.get(strategy);
        if (was == null || direction.isBetter(last.value(), was) || last.value() == was && last.trialId() < ids.get(strategy)[0]) {
          out.put(strategy, last.value());
          ids.put(strategy, new long[] {last.trialId()});
        }
      }
      return out;
    }
    for (String strategy : strategies(studies)) {
      // the first feasible row of a short page: infeasible trials rank by value too but never count
      Page<TrialRecord> p = r.trials(new TrialQuery(Optional.of(strategy), Optional.empty(), Optional.of(TrialStatus.COMPLETED),
          "value", direction == Direction.MINIMIZE, 0, 50));
      p.items().stream().filter(BestSoFar::counts).findFirst().ifPresent(t -> {
        out.put(strategy, t.value());
        ids.put(strategy, new long[] {t.id()});
      });
    }
    return out;
  }

  private RunAggregates aggregates(String name) {
    return aggregates.computeIfAbsent(name, n -> {
      ExperimentRecord e = reader(n).experiment();
      Set<String> goals = e.objectives().filter(Objectives::isMultiObjective)
          .map(o -> o.goals().stream().map(Goal::metric).collect(java.util.stream.Collectors.toSet())).orElse(Set.of());
      return new RunAggregates(goals);
    });
  }

  /** The folder holding a run directory ({@code runs} for {@code runs/NAME}). */
  static String runsFolder(String directory) {
    java.nio.file.Path parent = java.nio.file.Path.of(directory).getParent();
    return parent == null ? "." : parent.toString();
  }

  private static Set<String> strategies(List<StudyRecord> studies) {
    Set<String> out = new LinkedHashSet<>();
    studies.forEach(s -> out.add(s.strategy()));
    return out;
  }

  private static TrialQuery query(Optional<String> strategy, Optional<Long> seed, Optional<TrialStatus> status,
      String sort, boolean asc, int limit) {
    return new TrialQuery(strategy, seed, status, sort, asc, 0, limit);
  }

  /** {@code GET /api/runs/:name/studies}. */
  public JsonArray studies(String name) {
    JsonArray a = new JsonArray();
    reader(name).studies().forEach(s -> a.add(JsonViews.study(s)));
    return a;
  }

  // ---- trials ----

  /** {@code GET /api/runs/:name/trials}: one page, see {@link TrialQueryParser} for the parameters. */
  public JsonObject trials(String name, Map<String, String> params) {
    RunReader r = reader(name);
    List<StudyRecord> studies = r.studies();
    TrialQuery q = TrialQueryParser.parse(params, r.experiment().direction(), strategies(studies));
    Page<TrialRecord> page = r.trials(q);
    Map<Long, StudyRecord> byId = new LinkedHashMap<>();
    studies.forEach(s -> byId.put(s.id(), s));
    JsonArray items = new JsonArray();
    page.items().forEach(t -> items.add(JsonViews.trialRow(t, byId.get(t.studyId()))));
    return new JsonObject()
        .put("items", items)
        .put("total", page.total())
        .put("offset", page.offset() < 0 ? null : page.offset())
        .put("limit", q.limit())
        .put("sort", q.sort())
        .put("order", q.ascending() ? "asc" : "desc")
        .put("hasPrevious", page.hasPrevious())
        .put("hasNext", page.hasNext());
  }

  /** {@code GET /api/runs/:name/trials/:id}: everything about one trial. */
  public JsonObject trial(String name, String idText) {
    long id = trialId(idText);
    RunReader r = reader(name);
    TrialRecord t = r.trial(id).orElseThrow(() -> ApiException.notFound("run '" + name + "' has no trial " + id));
    StudyRecord study = r.studies().stream().filter(s -> s.id() == t.studyId()).findFirst().orElse(null);
    ExperimentRecord e = r.experiment();
    JsonObject tags = new JsonObject();
    t.tags().forEach(tags::put);
    JsonObject o = JsonViews.trialRow(t, study)
        .put("configuration", new JsonObject(t.configuration().canonicalJson()))
        .put("tags", tags)
        .put("study", study == null ? null : JsonViews.study(study))
        .put("curve", JsonViews.curve(r.curve(id)))
        .put("network", r.networkSpecJson(id).map(JsonViews::parseOrText).orElse(null))
        .put("metric", e.metric())
        .put("direction", e.direction().name().toLowerCase(Locale.ROOT))
        .put("workerInfo", workerOf(r, t.worker()))
        .put("exportCommand", "strata export " + shellWord(directoryOf(name)) + " --trial " + id)
        .put("exportBestCommand", "strata export " + shellWord(directoryOf(name)) + " --best");
    return o;
  }

  /**
   * {@code GET /api/runs/:name/trials/:id/init}: the trial's network analysed at initialisation (see
   * {@link NetworkInspector}), computed once and kept; {@code {trial, error}} when the inspector
   * refused it.
   */
  public JsonObject initAnalysis(String name, String idText) {
    long id = trialId(idText);
    RunReader r = reader(name);
    r.trial(id).orElseThrow(() -> ApiException.notFound("run '" + name + "' has no trial " + id));
    String network = r.networkSpecJson(id)
        .orElseThrow(() -> ApiException.notFound("trial " + id + " of run '" + name + "' has no network spec stored"));
    return analyses.of(name, id, network);
  }

  private static long trialId(String idText) {
    try {
      return Long.parseLong(idText);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("trial id must be an integer, got '" + idText + "'");
    }
  }

  /** The run's directory as the user named it, or {@code runs/NAME} when the catalog does not say. */
  String directoryOf(String name) {
    return handle(name).directory().orElse("runs/" + name);
  }

  /** A path as one shell word: quoted when it holds anything but safe characters. */
  static String shellWord(String s) {
    return s.matches("[A-Za-z0-9_./:@%+=,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** The recorded worker a trial ran on, or null when none was recorded under that name (e.g. a local run). */
  private JsonObject workerOf(RunReader r, String worker) {
    if (worker == null || worker.isEmpty()) {
      return null;
    }
    long now = clock.millis();
    return r.workers().stream().filter(w -> w.name().equals(worker)).findFirst()
        .map(w -> JsonViews.worker(w, now)).orElse(null);
  }

  /**
   * {@code GET /api/runs/:name/workers}: the run's trial workers as last recorded, with each
   * heartbeat's age computed here, so that a browser with a wrong clock still shows the right age.
   */
  public JsonObject workers(String name) {
    List<WorkerRecord> workers = reader(name).workers();
    long now = clock.millis();
    JsonArray out = new JsonArray();
    workers.forEach(w -> out.add(JsonViews.worker(w, now)));
    return new JsonObject().put("now", now).put("workers", out)
        .put("active", workers.stream().filter(w -> w.state().equals("active")).count())
        .put("remote", workers.stream().filter(w -> !w.local()).count());
  }

  /** {@code GET /api/runs/:name/running}: trials in flight with their curves so far. */
  public JsonArray running(String name) {
    RunReader r = reader(name);
    Map<Long, StudyRecord> byId = new LinkedHashMap<>();
    r.studies().forEach(s -> byId.put(s.id(), s));
    JsonArray out = new JsonArray();
    Page<TrialRecord> page = r.trials(query(Optional.empty(), Optional.empty(), Optional.of(TrialStatus.RUNNING), "id", true, 100));
    for (TrialRecord t : page.items()) {
      out.add(JsonViews.trialRow(t, byId.get(t.studyId())).put("curve", JsonViews.curve(r.curve(t.id()))));
    }
    return out;
  }

  // ---- whole-run views ----

  /**
   * A whole-run view at a version of its data: computed by {@code f} when the version changed and
   * (for {@code large} runs) the last computation is older than {@link #VIEW_MIN_AGE_MILLIS}; one
   * computation per run and view at a time.
   */
  private JsonObject view(String id, long version, boolean large, java.util.function.Supplier<JsonObject> f) {
    View v = views.get(id);
    long now = clock.millis();
    if (v != null && (v.version() == version || large && now - v.takenMillis() < VIEW_MIN_AGE_MILLIS)) {
      return v.json();
    }
    synchronized (lock(id)) {
      v = views.get(id);
      if (v != null && (v.version() == version || large && now - v.takenMillis() < VIEW_MIN_AGE_MILLIS)) {
        return v.json();
      }
      JsonObject json = f.get();
      views.put(id, new View(version, clock.millis(), json));
      return json;
    }
  }

  /**
   * A view from the run's {@link RunAggregates} (a store that keeps no aggregates): the finished
   * trials read once, then those new events name.
   */
  private JsonObject computedView(String name, String key, java.util.function.BiFunction<RunAggregates, List<StudyRecord>, JsonObject> f) {
    RunReader r = reader(name);
    RunAggregates agg = aggregates(name);
    long version = agg.refresh(r);
    return view(name + "\u0000" + key, version, agg.size() > THROTTLE_ABOVE, () -> f.apply(agg, r.studies()));
  }

  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  private Object lock(String id) {
    return locks.computeIfAbsent(id, n -> new Object());
  }

  /** A sample of the run's trials ({@link RunReader#sample}) at a version of the finished count. */
  private record Sample(long version, List<TrialRecord> trials) {}

  private final Map<String, Sample> samples = new ConcurrentHashMap<>();

  /** One sample per run and version, shared by the Pareto and parameters views (the page asks for both at once). */
  private List<TrialRecord> sample(String name, RunReader r, long version) {
    synchronized (lock(name + "\u0000sample")) {
      Sample s = samples.get(name);
      if (s == null || s.version() != version) {
        s = new Sample(version, r.sample(MAX_PLOT_POINTS));
        samples.put(name, s);
      }
      return s.trials();
    }
  }

  /** Runs whose store keeps aggregates (a store never stops keeping them). */
  private final Set<String> keeping = ConcurrentHashMap.newKeySet();

  /**
   * When the run's store keeps aggregates: its finished trials, the version of every view built
   * from finished trials, read from the kept counts (a few rows, however many change points the
   * best-so-far has), so a request that finds its view cached reads no more; else empty.
   */
  private java.util.OptionalLong keptVersion(String name, RunReader r) {
    if (!keeping.contains(name)) {
      if (r.studyProgress().isEmpty()) {
        return java.util.OptionalLong.empty();
      }
      keeping.add(name);
    }
    long finished = 0;
    for (Map<TrialStatus, Long> m : r.statusCounts().values()) {
      for (var e : m.entrySet()) {
        finished += e.getKey().isFinished() ? e.getValue() : 0;
      }
    }
    return java.util.OptionalLong.of(finished);
  }

  /** The most points of one study's best-so-far series, and of a strategy's band. */
  static final int MAX_SERIES_POINTS = 1000;

  /**
   * {@code GET /api/runs/:name/comparison}: best-so-far per study and per strategy, see {@link
   * BestSoFar}. From the steps the store keeps when it does (cost: the number of changes of the
   * best, whatever the run's size), else from the run's finished trials.
   */
  public JsonObject comparison(String name) {
    return comparison(name, false);
  }

  /**
   * The comparison; {@code full}: every change point of every study and of the strategies' bands,
   * unthinned (the page's "show all" control asks for it: the full data a click away).
   */
  public JsonObject comparison(String name, boolean full) {
    RunReader r = reader(name);
    ExperimentRecord e = r.experiment();
    int cap = full ? Integer.MAX_VALUE : MAX_SERIES_POINTS;
    java.util.OptionalLong kept = keptVersion(name, r);
    if (kept.isPresent()) {
      long finished = kept.getAsLong();
      return view(name + "\u0000comparison" + (full ? "\u0000full" : ""), finished, finished > THROTTLE_ABOVE, () -> {
        List<StudyRecord> studies = r.studies();
        Map<Long, StudyProgress> byStudy = new java.util.HashMap<>();
        r.studyProgress().orElseThrow().forEach(p -> byStudy.put(p.studyId(), p));
        List<StudyProgress> progress = new ArrayList<>();
        List<BestSoFar.StudyCurve> curves = new ArrayList<>();
        for (StudyRecord st : studies) {
          StudyProgress p = byStudy.getOrDefault(st.id(), new StudyProgress(st.id(), 0, 0, List.of()));
          progress.add(p);
          curves.add(p.curve(st));
        }
        return comparisonJson(progress, curves, e, cap);
      });
    }
    return computedView(name, full ? "comparison\u0000full" : "comparison", (agg, studies) -> {
      List<BestSoFar.StudyCurve> curves = BestSoFar.curves(studies, agg.finishedTrials(), e.direction());
      return comparisonJson(curves.stream().map(RunService::steps).toList(), curves, e, cap);
    });
  }

  /** A curve's change points (the trial ids are not known here: 0). */
  static StudyProgress steps(BestSoFar.StudyCurve c) {
    List<StudyProgress.Step> steps = new ArrayList<>();
    double last = Double.NaN;
    for (int i = 0; i < c.trials(); i++) {
      double b = c.best()[i];
      if (!Double.isNaN(b) && (Double.isNaN(last) || b != last)) {
        steps.add(new StudyProgress.Step(i + 1, 0, b, c.seconds()[i]));
        last = b;
      }
    }
    return new StudyProgress(c.study().id(), c.trials(), c.totalSeconds(), steps);
  }

  /**
   * The comparison: per study its best-so-far as a step series (every change of the best, then
   * the last trial; above {@value #MAX_SERIES_POINTS} changes the first and the last change of
   * each of {@value #MAX_SERIES_POINTS}/2 buckets of trials, see {@link #thin}); per strategy the
   * spread over seeds ({@link BestSoFar#byTrials}) at every trial count where a study's best
   * changes or a study ends, so the band is exact as a step line; versus training time at {@value
   * BestSoFar#MAX_POINTS} even steps ({@link BestSoFar#bySeconds}).
   */
  static JsonObject comparisonJson(List<StudyProgress> progress, List<BestSoFar.StudyCurve> curves, ExperimentRecord e) {
    return comparisonJson(progress, curves, e, MAX_SERIES_POINTS);
  }

  /**
   * The comparison with at most {@code cap} change points per study series and in the bands' grid
   * ({@code Integer.MAX_VALUE}: all); {@code thinned} says whether any was thinned, {@code points}
   * how many change points the bands' grid has in all.
   */
  static JsonObject comparisonJson(List<StudyProgress> progress, List<BestSoFar.StudyCurve> curves, ExperimentRecord e, int cap) {
    boolean thinned = false;
    JsonArray studies = new JsonArray();
    java.util.TreeSet<Long> grid = new java.util.TreeSet<>();
    for (int s = 0; s < curves.size(); s++) {
      BestSoFar.StudyCurve c = curves.get(s);
      StudyProgress p = progress.get(s);
      JsonArray x = new JsonArray();
      JsonArray best = new JsonArray();
      JsonArray secs = new JsonArray();
      JsonArray ids = new JsonArray();
      List<StudyProgress.Step> shown = thin(p.steps(), p.finished(), cap);
      thinned |= shown.size() < p.steps().size();
      for (StudyProgress.Step step : shown) {
        x.add(step.trial());
        best.add(JsonViews.num(step.value()));
        secs.add(JsonViews.num(step.seconds()));
        ids.add(step.trialId() > 0 ? step.trialId() : null);
      }
      if (p.finished() > 0 && (shown.isEmpty() || shown.getLast().trial() < p.finished())) {
        x.add(p.finished());
        best.add(JsonViews.num(c.atTrial((int) p.finished())));
        secs.add(JsonViews.num(p.seconds()));
        ids.add(null);
      }
      p.steps().forEach(step -> grid.add(step.trial()));
      if (p.finished() > 0) {
        grid.add(p.finished());
      }
      studies.add(new JsonObject().put("label", c.study().label()).put("strategy", c.study().strategy())
          .put("seed", c.study().seed()).put("trials", p.finished()).put("steps", p.steps().size())
          .put("x", x).put("best", best).put("seconds", secs).put("trialId", ids));
    }
    if (!grid.isEmpty()) {
      grid.add(1L);
    }
    double[] xs = thinGrid(grid, cap);
    thinned |= xs.length < grid.size();
    return new JsonObject()
        .put("thinned", thinned)
        .put("points", grid.size())
        .put("metric", e.metric())
        .put("direction", e.direction().name().toLowerCase(Locale.ROOT))
        .put("ranking", ranking(curves, e.direction()))
        .put("byTrials", bands(BestSoFar.byTrials(curves, xs)))
        .put("bySeconds", bands(BestSoFar.bySeconds(curves)))
        .put("studies", studies);
  }

  /**
   * Min-max thinning of a best-so-far's change points: all of them when at most {@code cap};
   * else, over {@code cap / 2} equal buckets of trial numbers, the first and the last change in
   * each (a best-so-far only improves, so these are each bucket's extremes: the envelope at chart
   * resolution), which keeps the final best.
   */
  static List<StudyProgress.Step> thin(List<StudyProgress.Step> steps, long finished, int cap) {
    if (steps.size() <= cap) {
      return steps;
    }
    int buckets = cap / 2;
    List<StudyProgress.Step> out = new ArrayList<>();
    long bucket = -1;
    StudyProgress.Step pending = null;
    for (StudyProgress.Step s : steps) {
      long b = (s.trial() - 1) * buckets / Math.max(1, finished);
      if (b != bucket) {
        if (pending != null) {
          out.add(pending);
        }
        out.add(s);
        bucket = b;
        pending = null;
      } else {
        pending = s;
      }
    }
    if (pending != null) {
      out.add(pending);
    }
    return out;
  }

  /** The grid's trial numbers, evenly thinned to {@code cap} when longer, first and last kept. */
  static double[] thinGrid(java.util.SortedSet<Long> grid, int cap) {
    Long[] all = grid.toArray(new Long[0]);
    int n = Math.min(cap, all.length);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = all.length <= cap ? all[i] : all[(int) Math.round((double) i * (all.length - 1) / (n - 1))];
    }
    return out;
  }

  /**
   * The strategies ranked at the largest trial count every study with a finished trial has reached
   * (so that no strategy is judged on more trials than another): each by the median of its seeds'
   * best-so-far there; the margin of the first over the second, and the Mann-Whitney rank test of
   * their seeds' values ({@link RankTest}), significant when p < 0.05.
   */
  static JsonObject ranking(List<BestSoFar.StudyCurve> curves, Direction direction) {
    int budget = curves.stream().mapToInt(BestSoFar.StudyCurve::trials).filter(n -> n > 0).min().orElse(0);
    Map<String, List<Double>> values = new LinkedHashMap<>();
    for (BestSoFar.StudyCurve c : curves) {
      double v = c.atTrial(budget);
      if (budget > 0 && Double.isFinite(v)) {
        values.computeIfAbsent(c.study().strategy(), k -> new ArrayList<>()).add(v);
      }
    }
    record Ranked(String strategy, double[] values, double median) {}
    List<Ranked> ranked = new ArrayList<>();
    values.forEach((strategy, vs) -> {
      double[] sorted = vs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      ranked.add(new Ranked(strategy, sorted, Quantiles.type7(sorted, 0.5)));
    });
    ranked.sort((a, b) -> direction == Direction.MINIMIZE ? Double.compare(a.median(), b.median()) : Double.compare(b.median(), a.median()));
    JsonArray list = new JsonArray();
    ranked.forEach(r -> list.add(new JsonObject().put("strategy", r.strategy()).put("median", JsonViews.num(r.median()))
        .put("seeds", r.values().length)));
    JsonObject out = new JsonObject().put("budget", budget).put("strategies", list);
    if (ranked.size() >= 2) {
      Ranked first = ranked.get(0);
      Ranked second = ranked.get(1);
      RankTest.Result t = RankTest.mannWhitney(first.values(), second.values());
      String note = t.smallestPossibleP() >= 0.05
          ? "with " + first.values().length + " and " + second.values().length + " seeds no difference can reach p < 0.05; add seeds"
          : null;
      out.put("margin", JsonViews.num(Math.abs(first.median() - second.median())))
          .put("test", new JsonObject().put("name", "Mann-Whitney U over seeds, " + first.strategy() + " vs " + second.strategy())
              .put("u", JsonViews.num(t.u())).put("p", JsonViews.num(t.p())).put("significant", t.p() < 0.05).put("note", note));
    }
    return out;
  }

  private static JsonArray bands(List<BestSoFar.Band> bands) {
    JsonArray out = new JsonArray();
    for (BestSoFar.Band b : bands) {
      JsonArray n = new JsonArray();
      for (int v : b.n()) {
        n.add(v);
      }
      out.add(new JsonObject().put("strategy", b.strategy()).put("seeds", new JsonArray(b.seeds()))
          .put("x", array(b.x())).put("median", array(b.median())).put("q1", array(b.q1())).put("q3", array(b.q3())).put("n", n));
    }
    return out;
  }

  private static JsonArray array(double[] values) {
    JsonArray a = new JsonArray();
    for (double v : values) {
      a.add(JsonViews.num(v));
    }
    return a;
  }

  /** The most completed trials (by id) the pre-screening view reads. */
  static final int MAX_PRESCREEN_TRIALS = 20_000;

  /**
   * {@code GET /api/runs/:name/prescreen}: the run's {@code search.prescreen} (null when off) and, per
   * zero-cost proxy stored on its completed trials ({@code proxy.NAME} tags), Spearman's ρ against
   * the objective value with the running ρ as trials completed ({@link ProxyCorrelation}), over the
   * first {@value #MAX_PRESCREEN_TRIALS} completed trials by id.
   */
  public JsonObject prescreen(String name) {
    RunReader r = reader(name);
    JsonObject spec;
    try {
      spec = new JsonObject(r.experiment().specJson());
    } catch (RuntimeException e) {
      spec = new JsonObject();
    }
    JsonObject search = spec.getValue("search") instanceof JsonObject o ? o : new JsonObject();
    JsonObject prescreen = search.getValue("prescreen") instanceof JsonObject o ? o : null;
    JsonObject out = new JsonObject().put("metric", r.experiment().metric())
        .put("direction", r.experiment().direction().name().toLowerCase(Locale.ROOT)).put("prescreen", prescreen);
    JsonArray proxies = new JsonArray();
    out.put("proxies", proxies);
    if (prescreen == null) {
      return out;
    }
    List<ProxyCorrelation.Trial> trials = new ArrayList<>();
    long after = 0;
    while (trials.size() < MAX_PRESCREEN_TRIALS) {
      Page<TrialRecord> page = r.trials(new TrialQuery(Optional.empty(), Optional.empty(), Optional.of(TrialStatus.COMPLETED),
          "id", true, 0, 1000, after, 0));
      for (TrialRecord t : page.items()) {
        trials.add(new ProxyCorrelation.Trial(ProxyCorrelation.scoresOf(t.tags()), t.value()));
        after = t.id();
      }
      if (!page.hasNext() || page.items().isEmpty()) {
        break;
      }
    }
    for (ProxyCorrelation.Result c : ProxyCorrelation.of(trials, 200)) {
      JsonArray running = new JsonArray();
      c.running().forEach(p -> running.add(new JsonArray().add((int) p[0]).add(JsonViews.num(p[1]))));
      proxies.add(new JsonObject().put("proxy", c.proxy()).put("rho", JsonViews.num(c.rho())).put("trials", c.trials())
          .put("running", running));
    }
    return out;
  }

  /** {@code GET /api/runs/:name/pareto} with the default pair of goals. */
  public JsonObject pareto(String name) {
    return pareto(name, null, null);
  }

  /**
   * {@code GET /api/runs/:name/pareto[?x=METRIC&y=METRIC]}: the Pareto front of two goals, {@link
   * ParetoRun}'s one definition. A multi-objective run offers its declared goals (default: the
   * second on x, the first on y; any pair of 3+); a single-objective run is drawn as its objective
   * (y) against {@code params} minimised (x). Points are [id, x, y, strategy] (at most {@value
   * #MAX_PLOT_POINTS}, the front always included), the front sorted by x, each goal's direction,
   * and for a multi-objective run each study's hypervolume of the pair. A single-objective run
   * whose store keeps its front reads it and a sample spread over the ids ({@link
   * RunReader#sample}); otherwise the run's finished trials are read once ({@link RunAggregates}).
   */
  public JsonObject pareto(String name, String x, String y) {
    RunReader r = reader(name);
    ExperimentRecord e = r.experiment();
    Objectives objectives = e.objectives().orElse(Objectives.of(e.metric(), e.direction()));
    boolean multi = objectives.isMultiObjective();
    List<Goal> offered = multi ? objectives.goals() : List.of(objectives.primary(), new Goal("params", Direction.MINIMIZE));
    Goal gx = goal(offered, "x", x, offered.get(1));
    Goal gy = goal(offered, "y", y, offered.getFirst());
    if (gx.equals(gy)) {
      throw ApiException.badRequest("x and y must be two different goals, both are '" + gx.metric() + "'");
    }
    List<Goal> pair = List.of(gx, gy);
    java.util.OptionalLong kept = keptVersion(name, r);
    if (!multi && kept.isPresent()) {
      long finished = kept.getAsLong();
      return view(name + "\u0000pareto", finished, finished > THROTTLE_ABOVE, () -> {
        List<TrialRecord> front = r.paretoFront().orElseGet(List::of);
        ParetoRun sampled = ParetoRun.of(pair, e.metric(), List.of(), sample(name, r, finished));
        long completed = r.statusCounts().values().stream().mapToLong(m -> m.getOrDefault(TrialStatus.COMPLETED, 0L)).sum();
        return paretoJson(r.studies(), sampled.counted(), front, 1, e, offered, pair, null, false)
            .put("eligible", completed).put("sampled", true);
      });
    }
    return computedView(name, "pareto\u0000" + gx.metric() + "\u0000" + gy.metric(), (agg, studyList) -> {
      ParetoRun p = ParetoRun.of(pair, e.metric(), studyList, agg.finishedTrials());
      int step = Math.max(1, (int) Math.ceil(p.counted().size() / (double) MAX_PLOT_POINTS));
      return paretoJson(studyList, p.counted(), p.front(), step, e, offered, pair, multi ? p.hypervolume() : null, multi)
          .put("eligible", p.counted().size());
    });
  }

  /** The goal named {@code metric} among those offered, or {@code fallback} when none is named. */
  private static Goal goal(List<Goal> offered, String axis, String metric, Goal fallback) {
    if (metric == null || metric.isEmpty()) {
      return fallback;
    }
    return offered.stream().filter(g -> g.metric().equals(metric)).findFirst().orElseThrow(() -> ApiException.badRequest(
        axis + " must be one of the run's goals " + offered.stream().map(Goal::metric).toList() + ", got '" + metric + "'"));
  }

  private static JsonObject paretoJson(List<StudyRecord> studyList, List<TrialRecord> candidates, List<TrialRecord> front, int step,
      ExperimentRecord e, List<Goal> offered, List<Goal> pair, Map<Long, Double> hypervolume, boolean multi) {
    Map<Long, String> strategyOf = new LinkedHashMap<>();
    studyList.forEach(st -> strategyOf.put(st.id(), st.strategy()));
    String xMetric = pair.get(0).metric();
    String yMetric = pair.get(1).metric();
    java.util.function.Function<TrialRecord, JsonArray> point = t -> new JsonArray().add(t.id())
        .add(JsonViews.num(ParetoRun.value(t, xMetric, e.metric()))).add(JsonViews.num(ParetoRun.value(t, yMetric, e.metric())))
        .add(strategyOf.get(t.studyId()));
    List<TrialRecord> sortedFront = new ArrayList<>(front);
    sortedFront.sort(java.util.Comparator.comparingDouble((TrialRecord t) -> ParetoRun.value(t, xMetric, e.metric()))
        .thenComparingDouble(t -> pair.get(1).direction().toLoss(ParetoRun.value(t, yMetric, e.metric())))
        .thenComparingLong(TrialRecord::id));
    Set<Long> frontIds = new java.util.HashSet<>();
    sortedFront.forEach(t -> frontIds.add(t.id()));
    JsonArray points = new JsonArray();
    Set<Long> shown = new java.util.HashSet<>();
    for (int i = 0; i < candidates.size(); i++) {
      TrialRecord t = candidates.get(i);
      if (i % step == 0 || frontIds.contains(t.id())) {
        points.add(point.apply(t));
        shown.add(t.id());
      }
    }
    JsonArray frontJson = new JsonArray();
    for (TrialRecord t : sortedFront) {
      frontJson.add(point.apply(t));
      if (shown.add(t.id())) {
        points.add(point.apply(t));
      }
    }
    JsonArray goals = new JsonArray();
    offered.forEach(g -> goals.add(goalJson(g)));
    JsonObject out = new JsonObject().put("metric", e.metric()).put("direction", e.direction().name().toLowerCase(Locale.ROOT))
        .put("multiObjective", multi).put("goals", goals).put("x", goalJson(pair.get(0))).put("y", goalJson(pair.get(1)))
        .put("points", points).put("front", frontJson);
    if (hypervolume != null) {
      JsonArray hv = new JsonArray();
      for (StudyRecord st : studyList) {
        hv.add(new JsonObject().put("study", st.label()).put("strategy", st.strategy()).put("seed", st.seed())
            .put("value", JsonViews.num(hypervolume.getOrDefault(st.id(), 0.0))));
      }
      out.put("hypervolume", hv).put("hypervolumeReference", 1 + ParetoRun.MARGIN);
    }
    return out;
  }

  private static JsonObject goalJson(Goal g) {
    return new JsonObject().put("metric", g.metric()).put("direction", g.direction().name().toLowerCase(Locale.ROOT));
  }

  /** The most trials one importance computation uses: an even sample by id beyond it, so a request stays bounded. */
  static final int MAX_IMPORTANCE_TRIALS = 2000;

  /**
   * {@code GET /api/runs/:name/importance[?method=ped-anova|fanova]}: each parameter's share of the
   * objective's variation, by the run's {@link ParameterImportance} (the code of {@code strata
   * importance}), from at most {@value #MAX_IMPORTANCE_TRIALS} finished trials spread evenly over
   * the ids ({@link RunReader#sample}; those that can set a best-so-far are used). Computed on
   * demand, kept per run, method and number of finished trials. {@code available: false} with the
   * reason when the run has no importance (no space to read) or too few trials.
   */
  public JsonObject importance(String name, String method) {
    RunHandle h = handle(name);
    ParameterImportance.Method m = method == null || method.isEmpty() ? ParameterImportance.Method.PED_ANOVA
        : ParameterImportance.Method.of(method).orElseThrow(() -> ApiException.badRequest(
            "method must be ped-anova or fanova, got '" + method + "'"));
    RunReader r = h.reader();
    long finished = 0;
    for (Map<TrialStatus, Long> counts : r.statusCounts().values()) {
      for (var c : counts.entrySet()) {
        finished += c.getKey().isFinished() ? c.getValue() : 0;
      }
    }
    long version = finished;
    return view(name + "\u0000importance\u0000" + m.key(), version, false, () -> {
      JsonObject out = new JsonObject().put("method", m.key()).put("label", m.label()).put("finished", version)
          .put("cap", MAX_IMPORTANCE_TRIALS);
      if (h.importance().isEmpty()) {
        return out.put("available", false).put("reason", "this dashboard cannot read the run's search space");
      }
      List<TrialRecord> trials = r.sample(MAX_IMPORTANCE_TRIALS);
      try {
        ParameterImportance.Result result = h.importance().get().of(trials, m, PED_ANOVA_QUANTILE);
        JsonArray params = new JsonArray();
        result.importance().forEach((k, v) -> params.add(new JsonObject().put("name", k).put("importance", JsonViews.num(v))));
        return out.put("available", true).put("trials", result.trials()).put("sampled", version > MAX_IMPORTANCE_TRIALS)
            .put("quantile", m == ParameterImportance.Method.PED_ANOVA ? PED_ANOVA_QUANTILE : null).put("parameters", params);
      } catch (IllegalArgumentException tooFew) {
        return out.put("available", false).put("reason", tooFew.getMessage());
      }
    });
  }

  /** PED-ANOVA's share of best trials on the page, as {@code strata importance}'s default. */
  static final double PED_ANOVA_QUANTILE = dev.strata.search.importance.PedAnova.DEFAULT_QUANTILE;

  /**
   * {@code GET /api/runs/:name/parameters}: hyperparameters vs objective for a parallel-coordinates
   * plot. Dimensions are the configurations' top-level scalar parameters (numbers: value axes;
   * strings and booleans: category axes) and, for a list parameter, its length ({@code
   * blocks.count}) and its first blocks' fields; rows are [values..., objective, trialId] of
   * completed trials, at most {@value #MAX_PARALLEL_ROWS}, evenly thinned from a sample spread over the ids ({@link
   * RunReader#sample}) when the store keeps aggregates, else the run's bounded sample.
   */
  public JsonObject parameters(String name) {
    RunReader r = reader(name);
    Direction direction = r.experiment().direction();
    String metric = r.experiment().metric();
    Set<String> logScaled = logScaledParameters(r.experiment().specJson());
    java.util.OptionalLong kept = keptVersion(name, r);
    JsonObject view;
    if (kept.isPresent()) {
      long finished = kept.getAsLong();
      view = view(name + "\u0000parameters", finished, finished > THROTTLE_ABOVE, () -> {
        List<TrialRecord> done = sample(name, r, finished).stream().filter(BestSoFar::counts).toList();
        long completed = r.statusCounts().values().stream().mapToLong(m -> m.getOrDefault(TrialStatus.COMPLETED, 0L)).sum();
        return parametersJson(done, completed, logScaled);
      });
    } else {
      view = computedView(name, "parameters", (agg, studyList) -> parametersJson(agg.sampled(r), agg.completed(), logScaled));
    }
    return view.copy().put("metric", metric).put("direction", direction.name().toLowerCase(Locale.ROOT));
  }

  /**
   * The most rows of the parallel coordinates: a browser draws each as a polyline across every
   * axis, and 3,000 of them took most of a loaded machine's first page load; 1,000 already cover
   * the plot.
   */
  static final int MAX_PARALLEL_ROWS = 1000;

  private static JsonObject parametersJson(List<TrialRecord> done, long completed, Set<String> logScaled) {
    int step = Math.max(1, (int) Math.ceil(done.size() / (double) MAX_PARALLEL_ROWS));
    List<Map<String, Object>> rows = new ArrayList<>();
    List<TrialRecord> kept = new ArrayList<>();
    for (int i = 0; i < done.size(); i += step) {
      rows.add(flatten(done.get(i).configuration().values()));
      kept.add(done.get(i));
    }
    // One axis per parameter that varies: a constant spends an axis and says nothing.
    Map<String, String> kinds = new java.util.TreeMap<>();
    Map<String, Set<String>> distinct = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      row.forEach((k, v) -> {
        kinds.merge(k, v instanceof Number ? "value" : "category", (a, b) -> a.equals(b) ? a : "category");
        distinct.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(String.valueOf(v));
      });
    }
    List<String> names = kinds.keySet().stream().filter(k -> distinct.get(k).size() > 1).toList();
    JsonArray dims = new JsonArray();
    for (String n : names) {
      JsonObject d = new JsonObject().put("name", n).put("type", kinds.get(n));
      if (kinds.get(n).equals("category")) {
        d.put("categories", new JsonArray(new ArrayList<>(distinct.get(n))));
      } else if (logScaled.contains(n.replaceAll("\\.\\d+\\.", "."))) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map<String, Object> row : rows) {
          if (row.get(n) instanceof Number num) {
            lo = Math.min(lo, num.doubleValue());
            hi = Math.max(hi, num.doubleValue());
          }
        }
        if (lo > 0) {
          d.put("log", true).put("min", JsonViews.num(lo)).put("max", JsonViews.num(hi));
        }
      }
      dims.add(d);
    }
    JsonArray data = new JsonArray();
    for (int i = 0; i < rows.size(); i++) {
      JsonArray row = new JsonArray();
      for (String n : names) {
        Object v = rows.get(i).get(n);
        row.add(v == null ? null : kinds.get(n).equals("category") ? String.valueOf(v) : v instanceof Double dv ? JsonViews.num(dv) : v);
      }
      row.add(kept.get(i).value()).add(kept.get(i).id());
      data.add(row);
    }
    return new JsonObject().put("dimensions", dims).put("rows", data).put("completed", completed);
  }

  /** The most blocks of a list parameter given their own axes (block 1, 2, 3). */
  static final int MAX_BLOCK_AXES = 3;

  /**
   * A configuration as axis name to value: scalars by name; a list by its length ({@code
   * blocks.count}) and, for its first {@value #MAX_BLOCK_AXES} entries that are objects, each
   * scalar field ({@code blocks.1.width}).
   */
  static Map<String, Object> flatten(Map<String, Object> config) {
    Map<String, Object> out = new LinkedHashMap<>();
    config.forEach((k, v) -> {
      if (v instanceof Number || v instanceof String || v instanceof Boolean) {
        out.put(k, v);
      } else if (v instanceof List<?> list) {
        out.put(k + ".count", list.size());
        for (int i = 0; i < Math.min(MAX_BLOCK_AXES, list.size()); i++) {
          if (list.get(i) instanceof Map<?, ?> block) {
            int position = i + 1;
            block.forEach((field, fv) -> {
              if (fv instanceof Number || fv instanceof String || fv instanceof Boolean) {
                out.put(k + "." + position + "." + field, fv);
              }
            });
          }
        }
      }
    });
    return out;
  }

  /**
   * The parameters the spec samples on a log scale ({@code "log": true}), by axis name without the
   * block position: {@code learningRate}, {@code blocks.width}. Empty when the spec is not JSON.
   */
  static Set<String> logScaledParameters(String specJson) {
    Set<String> out = new java.util.HashSet<>();
    try {
      JsonObject spec = new JsonObject(specJson);
      JsonObject space = spec.getJsonObject("space");
      if (space == null) {
        return out;
      }
      for (String k : space.fieldNames()) {
        if (!(space.getValue(k) instanceof JsonObject p)) {
          continue;
        }
        if (Boolean.TRUE.equals(p.getValue("log"))) {
          out.add(k);
        }
        if (p.getValue("of") instanceof JsonObject of) {
          for (String f : of.fieldNames()) {
            if (of.getValue(f) instanceof JsonObject fp && Boolean.TRUE.equals(fp.getValue("log"))) {
              out.add(k + "." + f);
            }
          }
        }
      }
    } catch (RuntimeException e) {
      // not JSON or not an object: no log axes
    }
    return out;
  }

  // ---- events and the stop action ----

  /** Events after {@code afterId}, at most {@code limit}, as frames ready for an event stream. */
  public List<SseFrame> eventsAfter(String name, long afterId, int limit) {
    List<RunEvent> events = reader(name).eventsAfter(afterId, limit);
    List<SseFrame> frames = new ArrayList<>(events.size());
    events.forEach(e -> frames.add(SseFrame.of(e)));
    return frames;
  }

  /** {@code POST /api/runs/:name/stop}: asks the experiment to stop; 409 when it cannot be stopped from here. */
  public JsonObject stop(String name) {
    RunHandle h = handle(name);
    Runnable stop = h.stop().orElseThrow(() -> new ApiException(409,
        "run '" + name + "' cannot be stopped from this dashboard: it is not running in this process (stop it where it runs, e.g. Ctrl-C)"));
    RunState state = h.reader().experiment().state();
    if (!state.isActive()) {
      throw new ApiException(409, "run '" + name + "' is " + state + ", not running");
    }
    stop.run();
    return new JsonObject().put("name", name).put("stopping", true);
  }
}
