package dev.strata.dashboard;

import dev.strata.runs.TrialQuery;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the query string of {@code GET /api/runs/:name/trials} into a {@link TrialQuery}, or an
 * {@link ApiException} (400) naming the bad parameter and what it accepts. Stateless.
 *
 * <p>Parameters, all optional: {@code offset} (>= 0, default 0), {@code limit} (1..1000, default
 * 50), {@code sort} (one of {@link TrialQuery#SORT_KEYS}, default {@code value}), {@code order}
 * ({@code asc}, {@code desc} or {@code best}; default best-first for {@code value}, ascending
 * otherwise), {@code strategy}, {@code seed} (integer), {@code status} (a {@link TrialStatus},
 * any case). Keyset paging (what the page uses: the last page costs what the first does): {@code
 * after=ID} (the page after the row of trial ID in this order), {@code before=ID} (the page
 * before it), {@code before=last} (the last page); at most one of them, which replaces {@code
 * offset}.
 */
public final class TrialQueryParser {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;
  private static final Set<String> KNOWN =
      Set.of("offset", "limit", "sort", "order", "strategy", "seed", "status", "after", "before", "token");

  private TrialQueryParser() {}

  /**
   * Parses the parameters.
   *
   * @param params the query parameters (first value of each)
   * @param direction the objective's direction, which decides what {@code best} means
   * @param strategies the strategies of the run; an unknown one is refused
   */
  public static TrialQuery parse(Map<String, String> params, Direction direction, Collection<String> strategies) {
    for (String key : params.keySet()) {
      if (!KNOWN.contains(key)) {
        throw ApiException.badRequest("unknown query parameter '" + key + "': use " + KNOWN.stream().filter(k -> !k.equals("token")).sorted().toList());
      }
    }
    int offset = intParam(params, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParam(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    String sort = params.getOrDefault("sort", "value");
    if (!TrialQuery.SORT_KEYS.contains(sort)) {
      throw ApiException.badRequest("sort must be one of " + TrialQuery.SORT_KEYS.stream().sorted().toList() + ", got '" + sort + "'");
    }
    String order = params.getOrDefault("order", sort.equals("value") ? "best" : "asc").toLowerCase(Locale.ROOT);
    boolean ascending = switch (order) {
      case "asc" -> true;
      case "desc" -> false;
      case "best" -> !sort.equals("value") || direction == Direction.MINIMIZE;
      default -> throw ApiException.badRequest("order must be asc, desc or best, got '" + order + "'");
    };
    Optional<String> strategy = Optional.ofNullable(params.get("strategy")).filter(s -> !s.isEmpty());
    if (strategy.isPresent() && !strategies.contains(strategy.get())) {
      throw ApiException.badRequest("unknown strategy '" + strategy.get() + "': this run has " + strategies.stream().sorted().toList());
    }
    Optional<Long> seed = Optional.empty();
    String seedText = params.get("seed");
    if (seedText != null && !seedText.isEmpty()) {
      try {
        seed = Optional.of(Long.parseLong(seedText));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("seed must be an integer, got '" + seedText + "'");
      }
    }
    Optional<TrialStatus> status = Optional.empty();
    String statusText = params.get("status");
    if (statusText != null && !statusText.isEmpty()) {
      try {
        status = Optional.of(TrialStatus.valueOf(statusText.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("status must be one of " + java.util.Arrays.toString(TrialStatus.values()).toLowerCase(Locale.ROOT) + ", got '" + statusText + "'");
      }
    }
    long after = idParam(params, "after");
    long before = "last".equalsIgnoreCase(params.get("before")) ? TrialQuery.LAST : idParam(params, "before");
    if (after != 0 && before != 0) {
      throw ApiException.badRequest("give at most one of after and before");
    }
    return new TrialQuery(strategy, seed, status, sort, ascending, offset, limit, after, before);
  }

  private static long idParam(Map<String, String> params, String name) {
    String text = params.get(name);
    if (text == null || text.isEmpty()) {
      return 0;
    }
    try {
      long id = Long.parseLong(text.trim());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badRequest(name + " must be a trial id (a positive integer)" + (name.equals("before") ? " or 'last'" : "")
        + ", got '" + text + "'");
  }

  static int intParam(Map<String, String> params, String name, int fallback, int min, int max) {
    String text = params.get(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer in " + min + ".." + max + ", got '" + text + "'");
    }
    if (value < min || value > max) {
      throw ApiException.badRequest(name + " must be in " + min + ".." + max + ", got " + value);
    }
    return (int) value;
  }
}
