package dev.strata.experiments.cluster;

import dev.strata.runs.RunState;
import static dev.strata.experiments.cluster.ClusterTestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.run.Budget;
import dev.strata.experiments.run.Fixtures;
import dev.strata.experiments.run.RunPlan;
import dev.strata.experiments.run.RunSummary;
import dev.strata.experiments.run.Runner;
import dev.strata.experiments.run.StudyPlan;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.store.RunStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's protections: TLS on the event bus with a certificate made by {@code keytool} for
 * the test, and a worker that runs only the experiment it joined.
 */
class ClusterSecurityTest {

  private static final String PASSWORD = "changeit";

  private static String clusterName() {
    return "s" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
  }

  @Test
  @Timeout(150)
  void trialsRunOverMutualTlsWithKeyStoresOrPemAndTheBusRefusesClientsWithoutACertificate(@TempDir Path tmp) throws Exception {
    Path keyStore = tmp.resolve("node.p12");
    Path trustStore = tmp.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "strata", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=strata-test",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
        keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "strata", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-file", tmp.resolve("node.pem").toString());
    keytool("-importcert", "-noprompt", "-alias", "strata", "-file", tmp.resolve("node.pem").toString(),
        "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
    ClusterConfig.Tls tls = new ClusterConfig.KeyStores(keyStore, PASSWORD, trustStore, PASSWORD);
    // The worker holds the same identity as PEM files (certificate, PKCS#8 key, CA = the self-signed certificate).
    Path keyPem = tmp.resolve("node.key");
    KeyStore p12 = load(keyStore);
    Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(
            p12.getKey("strata", PASSWORD.toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    ClusterConfig.Tls pem = parse("--tls-cert", tmp.resolve("node.pem").toString(), "--tls-key", keyPem.toString(),
        "--tls-ca", tmp.resolve("node.pem").toString()).toConfig(false).tls();
    assertEquals(new ClusterConfig.Pem(tmp.resolve("node.pem"), keyPem, tmp.resolve("node.pem")), pem);
    // Bad TLS input is refused up front, in one line, before joining anything.
    var noPassword = assertThrows(IllegalArgumentException.class,
        () -> parse("--tls-keystore", keyStore.toString(), "--tls-truststore", trustStore.toString()).toConfig(true));
    assertTrue(noPassword.getMessage().contains("password") && !noPassword.getMessage().contains("\n"),
        noPassword.getMessage());
    var keyAsCa = assertThrows(IllegalArgumentException.class, () -> parse("--tls-cert", tmp.resolve("node.pem")
        .toString(), "--tls-key", keyPem.toString(), "--tls-ca", keyPem.toString()).toConfig(false));
    assertTrue(keyAsCa.getMessage().startsWith("--tls-ca"), keyAsCa.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("--tls-cert", "a.pem").toConfig(false));
    String cluster = clusterName();
    int port = freePort();
    int bus = freePort();
    ClusterConfig coordinator = ClusterConfig.builder().clusterName(cluster).host("127.0.0.1").port(port).eventBusPort(bus)
        .tls(tls).heartbeat(Duration.ofMillis(500)).workerTimeout(Duration.ofSeconds(4)).build();
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).parallel(2).reproducible(true)
        .experimentSeed(7).budget(Budget.trials(4)).build();
    ClusterWorker worker = null;
    try (ClusterCoordinator c = ClusterCoordinator.builder(coordinator, "{}").pullWait(Duration.ofSeconds(2)).start()) {
      // The coordinator's bus port speaks TLS and wants a client certificate.
      try (SSLSocket s = (SSLSocket) context(keyStore, trustStore).getSocketFactory().createSocket("127.0.0.1", bus)) {
        s.startHandshake();
        assertTrue(s.getSession().getProtocol().startsWith("TLS"), s.getSession().getProtocol());
      }
      assertRefused(context(null, trustStore), bus);

      worker = ClusterWorker.builder(ClusterConfig.builder().clusterName(cluster).port(0).eventBusPort(0)
                  .join(List.of("127.0.0.1:" + port)).tls(pem).heartbeat(Duration.ofMillis(500))
                  .workerTimeout(Duration.ofSeconds(4)).build(), (json, data) -> Fixtures.branin(2, 0))
          .name("tls-worker").threads(2).cache(new DatasetCache(tmp.resolve("cache"))).log(m -> { }).build();
      Thread.ofPlatform().daemon().start(worker::run);
      try (RunStore store = RunStore.create(tmp.resolve("run"), "tls", "loss", plan.direction(), "{}")) {
        RunSummary summary = Runner.builder(plan, c, store).strategies(Fixtures.STRATEGIES).build().run();
        assertEquals(RunState.FINISHED, summary.state());
      }
      var w = c.snapshot().workers().getFirst();
      assertEquals("tls-worker", w.name());
      assertEquals(4, w.trialsDone(), "every trial crossed the TLS event bus");
    } finally {
      if (worker != null) {
        worker.close();
      }
    }
  }

  /** The private-CA recipe of docs/cluster.md, with openssl: each machine's certificate signed by the CA. */
  @Test
  @Timeout(150)
  void machinesWithCertificatesFromOnePrivateCaTalkOverTls(@TempDir Path tmp) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "needs openssl");
    openssl(tmp, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=strata-ca", "-keyout", "ca.key", "-out", "ca.pem");
    for (String node : List.of("coordinator", "worker")) {
      openssl(tmp, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + node,
          "-keyout", node + ".key", "-out", node + ".csr");
      Files.writeString(tmp.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
      openssl(tmp, "x509", "-req", "-in", node + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
          "-days", "2", "-extfile", "san.ext", "-out", node + ".pem");
    }
    String cluster = clusterName();
    int port = freePort();
    int bus = freePort();
    ClusterConfig coordinator = ClusterConfig.builder().clusterName(cluster).port(port).eventBusPort(bus)
        .tls(new ClusterConfig.Pem(tmp.resolve("coordinator.pem"), tmp.resolve("coordinator.key"), tmp.resolve("ca.pem")))
        .heartbeat(Duration.ofMillis(500)).workerTimeout(Duration.ofSeconds(4)).build();
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).parallel(1).reproducible(true)
        .experimentSeed(7).budget(Budget.trials(2)).build();
    ClusterWorker worker = null;
    try (ClusterCoordinator c = ClusterCoordinator.builder(coordinator, "{}").pullWait(Duration.ofSeconds(2)).start()) {
      worker = ClusterWorker.builder(ClusterConfig.builder().clusterName(cluster).port(0).eventBusPort(0)
                  .join(List.of("127.0.0.1:" + port))
                  .tls(new ClusterConfig.Pem(tmp.resolve("worker.pem"), tmp.resolve("worker.key"), tmp.resolve("ca.pem")))
                  .heartbeat(Duration.ofMillis(500)).workerTimeout(Duration.ofSeconds(4)).build(),
              (json, data) -> Fixtures.branin(1, 0))
          .name("ca-worker").threads(1).cache(new DatasetCache(tmp.resolve("cache"))).log(m -> { }).build();
      Thread.ofPlatform().daemon().start(worker::run);
      try (RunStore store = RunStore.create(tmp.resolve("run"), "ca", "loss", plan.direction(), "{}")) {
        assertEquals(RunState.FINISHED, Runner.builder(plan, c, store).strategies(Fixtures.STRATEGIES).build().run().state());
      }
      assertEquals(2, c.snapshot().workers().getFirst().trialsDone());
    } finally {
      if (worker != null) {
        worker.close();
      }
    }
  }

  @Test
  void aCommandObjectiveNeedsTheWorkersPermission(@TempDir Path tmp) {
    Path marker = tmp.resolve("ran");
    String json = commandExperiment(marker);
    EvaluatorFactory.DatasetResolver none = spec -> {
      throw new IllegalStateException("no dataset");
    };
    var refused = assertThrows(IllegalArgumentException.class,
        () -> new SpecEvaluatorFactory(List.of(), ClusterSetup::workerEvaluator).create(json, none));
    assertTrue(refused.getMessage().contains("--allow-command touch"), refused.getMessage());
    assertNotNull(new SpecEvaluatorFactory(List.of("touch"), ClusterSetup::workerEvaluator).create(json, none));
    assertFalse(Files.exists(marker), "building an evaluator runs nothing");
  }

  /**
   * A worker that joined a test-function experiment is handed, by a stand-in coordinator, a task
   * stamped with another experiment (one that runs a command): it refuses it without evaluating
   * anything, then trains a task of its own experiment as usual.
   */
  @Test
  @Timeout(120)
  void aWorkerRefusesATaskOfAnotherExperimentThanTheOneItJoined(@TempDir Path tmp) throws Exception {
    String cluster = clusterName();
    int port = freePort();
    String functionExperiment = new JsonObject().put("name", "h6")
        .put("objective", new JsonObject().put("function", "hartmann6"))
        .put("search", new JsonObject().put("strategies", new JsonArray(List.of("random")))
            .put("budget", new JsonObject().put("trials", 2)))
        .encode();
    Path marker = tmp.resolve("ran");
    String commandExperiment = commandExperiment(marker);
    String config = "{\"x1\":0.2,\"x2\":0.15,\"x3\":0.48,\"x4\":0.28,\"x5\":0.31,\"x6\":0.66}";
    List<JsonObject> tasks = new ArrayList<>(List.of(
        task("lease-1", Protocol.experimentId(commandExperiment), config),
        task("lease-2", Protocol.experimentId(functionExperiment), config)));
    List<JsonObject> results = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger evaluations = new AtomicInteger();
    EvaluatorFactory counting = (json, data) -> {
      TrialEvaluator real = new SpecEvaluatorFactory(List.of(), ClusterSetup::workerEvaluator).create(json, data);
      return (configuration, context) -> {
        evaluations.incrementAndGet();
        return real.evaluate(configuration, context);
      };
    };
    ClusterWorker worker = null;
    try (StandInCoordinator coordinator = StandInCoordinator.start(cluster, port, 500)) {
      coordinator.serve(Protocol.REGISTER, hello -> new JsonObject().put("session", "s1").put("name", "w")
          .put("experiment", functionExperiment).put("experimentId", Protocol.experimentId(functionExperiment))
          .put("heartbeatMs", 500L).put("timeoutMs", 4_000L).put("pullWaitMs", 500L));
      coordinator.serve(Protocol.PULL, pull -> {
        synchronized (tasks) {
          return tasks.isEmpty() ? null : new JsonObject().put("task", tasks.removeFirst());
        }
      });
      coordinator.serve(Protocol.RESULT, result -> {
        results.add(result);
        return new JsonObject().put("accepted", true);
      });
      coordinator.serve(Protocol.HEARTBEAT, beat -> new JsonObject().put("known", true));
      coordinator.serve(Protocol.EPOCH, epoch -> new JsonObject().put("continue", true));
      coordinator.serve(Protocol.LEAVE, leave -> new JsonObject());
      coordinator.awaitReady();
      worker = ClusterWorker.builder(ClusterConfig.builder().clusterName(cluster).port(0).eventBusPort(0)
                  .join(List.of("127.0.0.1:" + port)).heartbeat(Duration.ofMillis(500))
                  .workerTimeout(Duration.ofSeconds(4)).build(), counting)
          .name("w").threads(1).cache(new DatasetCache(tmp.resolve("cache"))).log(m -> { }).build();
      Thread.ofPlatform().daemon().start(worker::run);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (results.size() < 2 && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertEquals(2, results.size(), () -> "both tasks answered: " + results);
      Map<String, JsonObject> byLease = new java.util.HashMap<>();
      results.forEach(r -> byLease.put(r.getString("lease"), r));
      JsonObject refused = byLease.get("lease-1");
      assertNull(refused.getJsonObject("result"), refused::encode);
      assertTrue(refused.getString("error").contains("refused the trial"), refused::encode);
      JsonObject trained = byLease.get("lease-2");
      assertNull(trained.getString("error"), trained::encode);
      assertEquals("COMPLETED", trained.getJsonObject("result").getString("status"), trained::encode);
      assertEquals(1, evaluations.get(), "only the task of the joined experiment was evaluated");
      assertFalse(Files.exists(marker), "the other experiment's command never ran");
    } finally {
      if (worker != null) {
        worker.close();
      }
    }
  }

  @Test
  void refusalComparesTheTasksExperimentWithTheJoinedOne() {
    String joined = Protocol.experimentId("{\"a\":1}");
    assertNull(ClusterWorker.refusal(joined, new Protocol.Task("l", joined, 1, 1, 1, 0, "{}", null)));
    assertNotNull(ClusterWorker.refusal(joined, new Protocol.Task("l", Protocol.experimentId("{\"a\":2}"), 1, 1, 1, 0,
        "{}", null)));
    assertNotNull(ClusterWorker.refusal(joined, new Protocol.Task("l", "", 1, 1, 1, 0, "{}", null)),
        "a task that names no experiment is refused");
  }

  // ------------------------------------------------------------------ helpers

  private static ClusterOptions parse(String... args) {
    ClusterOptions o = new ClusterOptions();
    new picocli.CommandLine(o).parseArgs(args);
    return o;
  }

  /** An experiment whose objective is the command {@code touch MARKER}. */
  private static String commandExperiment(Path marker) {
    return new JsonObject().put("name", "cmd")
        .put("objective", new JsonObject().put("command", new JsonArray(List.of("touch", marker.toString())))
            .put("metric", "loss").put("direction", "minimize"))
        .put("space", new JsonObject().put("x", new JsonObject().put("float", new JsonArray(List.of(0, 1)))))
        .put("search", new JsonObject().put("strategies", new JsonArray(List.of("random")))
            .put("budget", new JsonObject().put("trials", 1)))
        .encode();
  }

  private static JsonObject task(String lease, String experimentId, String configuration) {
    return Protocol.toJson(new Protocol.Task(lease, experimentId, 1, 5, 0, 0, configuration, null));
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + List.of(args) + ": " + out);
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool " + List.of(args) + ": " + out);
  }

  private static SSLContext context(Path keyStore, Path trustStore) throws Exception {
    KeyManagerFactory kmf = null;
    if (keyStore != null) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(keyStore), PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(trustStore));
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static KeyStore load(Path p) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(p.toFile())) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  /** A client without a certificate is cut off (during the handshake, or at its first read in TLS 1.3). */
  private static void assertRefused(SSLContext noCertificate, int port) throws Exception {
    try (SSLSocket s = (SSLSocket) noCertificate.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      try {
        s.startHandshake();
        int read = s.getInputStream().read();
        assertEquals(-1, read, "the connection is closed");
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the bus kept a client without a certificate", e);
      } catch (IOException expected) {
        // refused during the handshake
      }
    }
  }
}
